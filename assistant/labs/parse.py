"""Find analyte names, numbers and units in free text and pair them (no conversion here).

The text is scanned once, left to right, by one regular expression whose parts all use bounded
repetition (`{0,3}` whitespace, at most 9 digits), so the time is linear in the text length.
Pairing rules, applied to the resulting token stream:
  * a name takes the first number after it, up to the next name or a barrier (end of sentence,
    ";", a new line, "I'm", "my wife", ...); later numbers in the same window replace it only
    after a change word ("now", "then", "->", "from 250 to 410"); otherwise they are left alone,
    so "my T is 520 and I'm 34" does not read 34 as testosterone;
  * a number right before a name belongs to it ("2.1 LH", "40% motile") unless the name has its
    own number after it;
  * numbers whose unit names the analyte need no name (kg, lb, cm, 5'9", M/mL, and mL when the
    text is about semen; ng/dL is read as total testosterone when it is at least 50);
  * a bracket right after a number, or a number after "ref"/"normal range", is an annotation (the
    reference interval or the value in another unit) and is skipped; so is a wide range right
    after a value ("300 ng/dL 264-916");
  * numbers that are dates, times, years (1900-2099 without a unit), ordinals, ages, doses or
    durations ("34 years", "8 months", "1 mg") are never lab values; names of other tests and
    drugs (prolactin, DHT, hCG, anastrozole, age, ...) swallow the number after them;
  * a comparator ("<5", "over 10", "100 or greater") marks the number as a bound, not a value;
    a bound in a condition ("if repeat T < 300"), a number ruled out ("4.8 not 48") and a
    conversion factor ("nmol/L x 28.84 = ng/dL") are not results; a number followed by a word
    glued to a unit this reader does not know ("22 thousand/ml") is asked about, never read in
    another unit;
  * "%30" is 30 % (the sign may come first); "4,5 (ng/ml)" takes the unit in its brackets;
    "free 11.2 ng/dL" after a testosterone is free testosterone; WHO grades may be written
    "rapid 20, slow 14" or "A %8, B %12" (a letter only right before a percentage);
  * "T", "TT", "FT", "test" count as names only when a number follows ("test results" is not
    testosterone), and never inside a word ("T/E2", "can't", "T4").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .names import PAIR_ANALYTE, PAIR_NAMES, identify
from .types import shifted
from .unit_table import SP, TEN_TO, S, canonical_unit, scan_pattern
from .units import ACCEPTS, HORMONE_UNITS, SPECS, UNIT_ANALYTE

W = r"\s{1,3}"
H = r"[\s\-]{1,3}"
B = r"(?<!\w)"  # \w is Unicode-aware: "Prélevé" is one word, not "Pr" + "élevé"
E = r"(?!\w)"
# An OCR-damaged number: a letter for a digit ("3O0", "0.3l2", "1S.2") or doubled punctuation
# ("4..1", "4,.2"), in lowered text. Both readers refuse it, and say so, rather than read a part.
GARBLED = r"[0-9]{1,9}(?:[.,][0-9]{1,9})?(?:[osbli][0-9][0-9.,]*|[.,]{2}[0-9]{1,9})"
NUM = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,9}(?:[.,][0-9]{1,12})?|\.[0-9]{1,12})(?![0-9]|[.,][0-9])"
)

_FILL = (
    rf"is|was|were|are|be|been|came{W}back(?:{W}(?:at|as))?|came{W}in(?:{W}at)?|showed|shows|"
    rf"reads?|measured(?:{W}at)?|tested(?:{W}at)?|levels?|lvl|of|at|as|around|about|"
    rf"approximately|approx|roughly|only|just|like|serum|total|results?|values?|reading|now|"
    rf"currently|still|went|gone|has|had|rose|fell|dropped|jumped|increased|decreased|improved|"
    rf"climbed|from|to|up|down|back|"
    # the same links in the other languages a report or a chat comes in ("testo à 2,6 ng/mL")
    rf"à|est|était|etait|ist|war|liegt|lag|bei|era|es|está|estaba|é|foi|è|van|op"
)
# Names of a count per mL that is not of sperm (they are "other", whatever their unit says): a
# sample prepared for insemination ("density gradient 45/90", "post-wash concentration 18 M/mL")
# and other cells ("Células germinativas imaturas 0,6 milhões/mL", "round cells").
_PREPARED_NAME = (
    rf"density{W}gradients?|(?:post{H}wash(?:ed)?|washed|prepared){W}(?:sperm{W})?"
    rf"(?:concentration|conc\.?|density|counts?|motility|volume)"
)
_OTHER_CELLS_NAME = (
    rf"(?:immature|imaturas?|inmaduras?|immatur[ei]|unreife){W}(?:germ{W})?(?:cells?|"
    rf"c[eé]lulas|zellen|cellule)|c[eé]lulas{W}germinativas|germ{W}cells?|"
    rf"(?:round|redondas|rondes|rotonde){W}(?:cells?|c[eé]lulas|cellules|cellule)"
)
NUMAHEAD = (
    rf"(?=(?:{S}(?:(?:{_FILL}){E}|[~≈=:\-–.]|\([a-z]{{1,6}}/[a-z]{{1,3}}\))){{0,4}}"
    rf"{S}(?:[<>≤≥]=?{S})?[-−]?\.?[0-9])"
)

UNIT = scan_pattern()
GRADE_VALUE = rf"(?={S}[:=]?{S}(?:%[0-9]{{1,3}}|[0-9]{{1,3}}(?:[.,][0-9])?{S}%))"

_T_SPELLINGS = (
    r"testosterone|testosteron|testostrone|testerone|testoterone|testostorone|testostérone|"
    r"testosterona"
)
_NOT_T_DRUG = (
    rf"(?!{W}(?:cypionate|cyp|enanthate|undecanoate|propionate|gel|injections?|shots?|"
    rf"replacement|therapy|cream|patch(?:es)?|pellets?|boosters?|supplements?|pills?|"
    rf"blockers?|medication|treatment|trt|cyp){E})"
)
_NOT_E_DRUG = rf"(?!{W}(?:blockers?|receptors?|pills?|medication|cream|patch){E})"

# (analyte, pattern, weak). Order matters where one name is a prefix of another at the same
# position. Weak names never produce "you gave no number" issues.
NAMES: tuple[tuple[str, str, bool], ...] = (
    ("other", rf"(?:lh{S}[/:]{S}fsh|fsh{S}[/:]{S}lh){W}ratios?", False),  # not ours: no FSH
    # a subset of the sperm, not the concentration: "Prog. motile sperm conc. 1,5 x10^6/ml"
    ("other", rf"(?:prog(?:ressive(?:ly)?)?\.?{W})?motile{W}(?:sperm{W})?(?:conc(?:entration)?\.?"
     rf"|density)", False),
    # a sample prepared for insemination, not the semen analysis: "density gradient 45/90",
    # "post-wash concentration 18 M/mL"
    ("other", _PREPARED_NAME, False),
    # other cells counted in million/mL: "Células germinativas imaturas 0,6 milhões/mL"
    ("other", _OTHER_CELLS_NAME, False),
    # a molar ratio (nmol/L over nmol/L) is not the article's ratio of ng/dL over pg/mL
    ("other", rf"(?:t|testosterone){S}(?:{H}to{H}|[/:]){S}(?:e2|estradiol|oestradiol){W}molar"
     rf"{W}ratios?|molar{W}(?:t{S}[/:]{S}e2{W})?ratios?", False),
    ("te2_ratio", rf"t{S}[/:]{S}e2?(?:{W}ratios?)?|te2?{W}ratios?|"
     rf"testosterone{S}(?:{H}to{H}|[/:]){S}(?:estradiol|oestradiol|estrogen|oestrogen|e2)(?:{W}\(t{S}/{S}e2\))?(?:{W}ratios?)?|"
     rf"ratio{W}of{W}testosterone{W}to{W}(?:estradiol|oestradiol|estrogen|e2)", False),
    ("tlh_ratio", rf"t{S}[/:]{S}lh(?:{W}ratios?)?|tlh{W}ratios?|testosterone{H}(?:to|/){H}"
     rf"(?:luteini[sz]ing{H}hormone|lh)(?:{W}\(t{S}/{S}lh\))?(?:{W}ratios?)?|"
     rf"ratio{W}of{W}testosterone{W}to{W}(?:lh|luteini[sz]ing{W}hormone)", False),
    ("tpmc_reported", rf"(?:total{W})?progressive(?:ly)?{W}motile{W}(?:sperm{W})?(?:count|number)"
     rf"|tpmsc|tpmc", False),
    ("tmc_reported", rf"total{W}motile{W}(?:sperm{W})?(?:count|number)|total{W}motile{W}sperm|"
     rf"motile{W}(?:sperm{W})?count|tmsc|tmc", False),
    # the name first, then the grade: "motilità progressiva", "motilidad progresiva"
    ("motility_progressive", rf"(?:motilit[àa]|motilidade?|motilidad|mobilit[àa]|motiliteit)"
     rf"{W}progress?iv[aeo]", False),
    ("motility_total", rf"total{W}motility|motility{S},?{W}total|pr{S}\+{S}np|(?:sperm{W})?"
     rf"(?:motility|motilty|motlity|motillity|motilit[äa]t|mobilit[ée]|motilidad|motiliteit|"
     rf"motilit[àa]|motilidade|beweeglijkheid)|motile|"
     rf"hareketli(?:lik)?", False),
    # lay and short forms of progressive motility: "28% moving forward", "prog motility 33%"
    # (not "forward progression", which US reports grade 0-4)
    ("motility_progressive", rf"(?:moving|swimming|swim){W}forwards?|forward{H}(?:moving|"
     rf"movement|motility|swimmers?)|prog\.?{W}motil(?:e|ity)", False),
    ("motility_total", r"moving|mot", True),
    ("motility_nonprogressive", rf"non{H}?progressive(?:(?:ly)?{W}motil(?:e|ity))?", False),
    ("motility_nonprogressive", r"np", True),
    ("motility_progressive", rf"progressive(?:ly)?{W}motil(?:e|ity)|progressive?|progressiv|"
     rf"progresive|rapid{W}(?:and|\+|&){W}slow(?:{W}progressive)?|"
     # "progressieve motiliteit", "motilità progressiva", "motilidad progresiva"
     rf"progressie(?:f|ve){W}(?:motiliteit|beweeglijkheid)|progress?iv[ao]{W}(?:motilit[àa]|"
     rf"motilidade?|mobilit[àa])", False),
    ("motility_progressive", rf"pr|prog\.?|a{S}\+{S}b", True),
    # WHO grades: "rapid 20, slow 14", "A %8, B %12" (a letter only right before a percentage)
    *((f"grade_{g}", rf"{word}(?:grade{W})?{g}{GRADE_VALUE}", True)
      for g, word in (("a", rf"rapid(?:{W}progressive)?{NUMAHEAD}|"),
                      ("b", rf"slow(?:{W}progressive)?{NUMAHEAD}|"), ("c", ""), ("d", ""))),
    ("morphology", rf"(?:normal{W}|strict{W}|kruger{W})?(?:morphology|morphologie|morfology|"
     rf"morfolog[ií]a|morfologie|morfoloji)|normal{W}forms?|kruger|normal{W}shape|normal{W}?geformt\w*",
     False),
    ("morphology", r"morph", True),
    ("total_count", rf"total{W}(?:sperm{W})?(?:count|number)|total{W}sperm(?:atozoa)?|"
     rf"sperm{W}total", False),
    ("concentration", rf"(?:sperm{W})?concentration|(?:sperm{W})?density|spermienkonzentration|"
     rf"concentraci[oó]n", False),
    ("concentration", r"conc\.?", True),
    ("sperm_count", rf"sperm{W}(?:counts?|numbers?)", False),
    ("sperm_count", r"counts?", True),
    ("semen_volume", rf"(?:semen|ejaculate){W}volume|volume", False),
    ("semen_volume", r"vol\.?", True),
    ("free_t", rf"(?:calculated{W}|calc\.?{W})?free{H}(?:{_T_SPELLINGS}|testo|test|t)|cft|"
     rf"(?:testosteron|testost[ée]rone|testosterona){W}(?:frei|libre|libera|livre|vrij)|"
     rf"(?:freies|vrij|vrije|fri|fritt|frit){W}testosteron",
     False),
    ("free_t", rf"ft{NUMAHEAD}", True),
    ("free_t", rf"free{NUMAHEAD}", True),  # "Testosterone 468 ng/dL, free 11.2 ng/dL"
    ("bioavailable_t", rf"bio-?{S}available{W}(?:testosterone|t)|bio-?t|"
     rf"(?:testosteron|testost[ée]rone|testosterona){W}(?:bio-?{S}?disponi\w*|bioverf\w*)|"
     rf"(?:bio-?{S}?disponi\w*|bioverf\w*){W}(?:testosteron|testost[ée]rone|testosterona)",
     False),
    ("total_t", rf"total{H}testosterone|testosterone{S},?{W}(?:total|serum)|serum{W}testosterone|"
     rf"(?:testosteron|testost[ée]rone|testosterona){W}(?:gesamt|totale?)|"
     rf"(?:{_T_SPELLINGS}){_NOT_T_DRUG}", False),
    ("total_t", rf"testo{NUMAHEAD}|total{W}t{NUMAHEAD}|tt{NUMAHEAD}|(?<!['’])t(?:{H}levels?)?"
     rf"(?![/'’]){NUMAHEAD}|test(?:{W}levels?)?{NUMAHEAD}", True),
    ("e2", rf"(?:ultra-?{S})?sensitive{W}(?:estradiol|e2)|(?:serum{W})?(?:estradiol|oestradiol|"
     rf"estradiole|estrodiol|estradoil|estradial|[öÖøØ]stradiol|œstradiol|estradiolo)|e2|"
     rf"(?:estrogens?|oestrogens?){_NOT_E_DRUG}",
     False),
    ("lh", rf"luteini[sz]ing{H}hormone|lutei?ni[sz]ing|lh", False),
    ("fsh", rf"follicle{H}stimulating{H}hormone|fsh", False),
    ("shbg", rf"sex{H}hormone{H}binding{H}globulin|shbg", False),
    ("bmi", rf"body{W}mass{W}index|bmi|imc", False),
    # "weight loss", "weight management service": a topic, not the name of a measured weight
    ("weight", r"weight(?![ -](?:loss|management|gain|reduction|training|lifting|bearing)\b)|"
     r"weigh(?:s|ed|ing)?|gewicht|peso|poids", False),
    ("weight", rf"wt{NUMAHEAD}", True),
    ("height", r"height|größe|groesse|taille|talla|altura|estatura|altezza|lengte|"
     r"mido|je mesure|me[çc]o|misuro", False),  # "mido 1,75": I am 1.75 m tall
    ("height", rf"ht{NUMAHEAD}", True),
    ("other", rf"prolakti?n|prolactin[ea]?|prl|tsh|albumin[ea]?|albúmina|free{H}t[34]|ft[34]|"
     rf"t[34]|dht|dihydro-?testosterone|psa|"
     rf"ha?ematocrit|hct|ha?emoglobin|hgb|hb|cholesterol|ldl|hdl|triglycerides?|glucose|hba1c|"
     rf"a1c|vitamin{W}d|vit{S}d|cortisol|dhea(?:-?s(?:o4)?)?|progesterone|estrone|e1|estriol|"
     rf"e3|amh|inhibin(?:{W}b)?|igf-?1|alt|ast|ggt|creatinine|ferritin|insulin|pregnenolone|"
     rf"hcg|clomid|clomiphene|enclomiphene|anastrozole|arimidex|letrozole|femara|tamoxifen|"
     rf"nolvadex|cypionate|enanthate|cyp|trt|dose|dosage|age|aged|ph|wbc|leu[ck]ocytes?|"
     rf"round{W}cells|pus{W}cells|dfi|fragmentation|liquefaction|viscosity|agglutination|"
     rf"immotile|vitality|day|week|month|cycle|visit|attempt|iui|ivf|icsi|pregnan(?:cy|t)|"
     rf"kids?|children|mg|vitamin|zinc|selenium|forward{W}progression|grade", True),
    # a bare "ratio" ("T 310 and E2 29 so my ratio is 10.7"): which ratio is not said, and its
    # number is no estradiol; the ratios are worked out from the values themselves
    ("other", r"ratios?", True),
    ("total", r"total", True),
)  # fmt: skip
_NAME_RES = [(a, re.compile(rf"{B}(?:{p}){E}"), w) for a, p, w in NAMES]  # on lowered text

# A label, then a gap of two or more blanks before the number: a report row's name column.
_COLUMN_LABEL = re.compile(r"\s*(\S.*?\S|\S)[ \t]{2,}")

_AZOO = (
    rf"azoo?spermi(?:a|c)|no{W}sperms?(?:{W}(?:at{W}all|cells?|seen|found|present))?|"
    rf"zero{W}sperms?|0{W}sperms?|nil{W}sperms?|sperm{W}count{W}(?:of{W}|was{W}|is{W})?"
    rf"(?:zero|nil)"
)
_CRYPTO = r"cryptozoo?spermi(?:a|c)"
_HEIGHT = (
    rf"(?<![A-Za-z0-9_.,])(?P<hft>[3-8]){S}(?:'|′|’|ft\.?|feet|foot)(?:{S},?{S}"
    rf"(?P<hin>[0-9]{{1,2}}(?:\.[0-9]{{1,2}})?){S}(?:\"|″|”|''|′′|’’|in\.?|inch(?:es)?)?)?"
    rf"(?![A-Za-z0-9_])"
)
_STONE = (
    rf"(?<![A-Za-z0-9_.,])(?P<st>[0-9]{{1,2}}(?:\.[0-9])?)(?:{S}stones?{E}|{SP}st{E}|"
    rf"st(?={S}[0-9]))(?:{S},?{S}(?P<stlb>[0-9]{{1,2}}(?:\.[0-9]{{1,2}})?){S}(?:lbs?|pounds?)?{E})?"
)
# "21 000 000 /mL", "960 000/ejaculate": digits grouped with spaces, only before a count's unit
# (elsewhere "35 000" may be two numbers), or in millions at the end of the value ("Total
# count 76 800 000").
SPACED_COUNT = (
    r"[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?=[ \u00a0]?/[ \u00a0]?(?:ml|ejac|éjac)|"
    r"[ \u00a0](?:per|par|por|pro)[ \u00a0](?:ml|ejac|éjac))"
    r"|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}){2,}(?=[ \t]*(?:$|\n|[,;()[])|[ \t]{2,})"
)
# "2.1 x 10^7/mL", "6,4 × 10⁷ /ml", "4.2 x 10^7": a count written with its power of ten
# (x 10^6 itself is a unit, "million": unit_table.POWER_6).
POWER_OF_TEN = (
    rf"{S}[x×*]{S}{TEN_TO}"
    rf"(?P<vexp>(?!6(?![0-9]))[0-9]{{1,2}}|(?!⁶(?![⁰¹²³⁴⁵⁶⁷⁸⁹]))[⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}})(?![0-9])"
    rf"(?!{S}/{S}l(?![a-z]))"  # "× 10⁹/L" is a unit (a million per mL), not a power
)
_VALUE = (
    rf"(?:(?<![0-9.,])(?P<vcmp>[<>≤≥⩽⩾]=?|=<|=>){S}|(?<![A-Za-z0-9_.,<>≤≥⩽⩾^*]))"
    rf"(?P<vpct>%(?=[0-9]))?"  # "%30": the percent sign before the number (Turkish)
    rf"(?P<vneg>[-−](?=[.0-9]))?(?P<vnum>{SPACED_COUNT}|{NUM})"
    rf"(?:{POWER_OF_TEN})?"
    rf"(?:(?P<vrsep>{S}[-–—‐−~〜～]{S}|{SP}to{SP})(?P<vnum2>{NUM}))?"
    rf"(?:(?P<vgap>{S}-?{S}|{S}(?P<vopen>\(){S})(?P<vunit>{UNIT})(?(vopen){S}\)))?"  # "4,5 (ng/ml)"
)
# A day with its month's name ("drawn on March 3", "3rd of Jan", "Sept 14, 2024"): a date, not a
# result. "May" alone is a verb too, so it counts only with an ordinal or a year.
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_MONTH_DAY = (
    rf"{B}(?:(?:{_MONTHS})\.?{SP}{_DAY}(?:,?{SP}(?:19|20)[0-9]{{2}})?"
    rf"|may{SP}(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th|,?{SP}(?:19|20)[0-9]{{2}})"
    rf"|{_DAY}{SP}(?:of{SP})?(?:{_MONTHS}|may)\b\.?(?:,?{SP}(?:19|20)[0-9]{{2}})?)"
    r"(?![0-9.,]?[0-9])"
)
_BETWEEN = rf"{B}between{W}(?P<b1>{NUM}){W}and{W}(?P<b2>{NUM})(?:{S}(?P<bunit>{UNIT}))?"
_REF = (
    rf"{B}(?:ref(?:erence)?(?:{W}(?:range|interval|values?))?|normal{W}(?:range|values?|"
    rf"limits?|is)|normal|range|lab{W}range|thresholds?|cut-?offs?|target){E}(?=[\s:=(\[]{{0,4}}(?:is\s|of\s)?[<>≤≥]?\.?[0-9])"
)
_CMP = (
    rf"{B}(?:less{W}than|lower{W}than|greater{W}than|more{W}than|higher{W}than|at{W}least|"
    rf"at{W}most|no{W}more{W}than|below|under|above|over|beneath|exceeding|"
    # the same in the report languages read here: "Inferior a 20 pg/mL", "kleiner als 5"
    rf"inferior(?:e)?{W}(?:a|que|de)|superior(?:e)?{W}(?:a|que|de)|inf[ée]rieure?{W}[àa]|"
    rf"sup[ée]rieure?{W}[àa]|menor{W}(?:que|de)|mayor{W}que|menos{W}de|abaixo{W}de|"
    rf"acima{W}de|minore{W}di|maggiore{W}di|kleiner{W}als|gr[öo]sser{W}als|unter|[üu]ber|"
    rf"lager{W}dan|kleiner{W}dan|hoger{W}dan|groter{W}dan){E}"
)
_CHANGE = (
    rf"{B}(?:now|then|later|afterwards?|after|before|recently|latest|most{W}recent|newest|"
    rf"current(?:ly)?|re-?test(?:ed)?|repeat(?:ed)?|follow-?up|second{W}test|2nd{W}test|"
    rf"(?:went|gone|rose|risen|increased|decreased|dropped|fell|fallen|jumped|climbed|improved|"
    rf"changed|came){W}(?:(?:up|down|back){W})?to|up{W}to|down{W}to){E}|->|→|=>|⟶|➔"
)
# "morphology not assessable", "morfologie niet beoordeelbaar": the lab could not give a result
UNASSESSED = (
    rf"{B}(?:not{W}(?:assessable|assessed|evaluable|evaluated|interpretable|reportable)|"
    rf"unassessable|could{W}not{W}be{W}(?:assessed|evaluated)|niet{W}(?:beoordeelbaar|"
    rf"beoordeeld)|nicht{W}(?:beurteilbar|auswertbar|beurteilt)|non{W}(?:[ée]valuable|"
    rf"interpr[ée]table|valutabile)|no{W}(?:valorable|evaluable)|n[ãa]o{W}avali[áa]vel){E}"
)
_QUAL = (
    rf"{B}(?:(?:very|really|too|quite|slightly|super|a{W}bit){W})?(?:high|elevated|raised|low|"
    rf"normal|borderline|okay|ok|fine|abnormal|off){E}|{UNASSESSED}"
)
_BARRIER = (
    rf"{B}(?:i|i'm|i’m|im|i've|i’ve|i'd|we|we're|we’re|we've|wife|partner|girlfriend|husband|"
    rf"she|he|his|her|they){E}|[;\n]|(?<!approx)(?<![ \t]ca)(?<!vs)(?<![ \t]e\.g)(?<![ \t]i\.e)"
    rf"(?<!\.\.)\.(?=\s|$)|[!?]{{1,3}}"  # not the last dot of a leader ("Volume ..... 3 mL")
)
# Every token starts at the start of a word or on one of a few symbols; checking that first lets
# the scanner skip spaces and the inside of words without trying each alternative (3x faster).
SCANNER = re.compile(
    r"(?:(?<![A-Za-z0-9_])(?=[A-Za-z0-9ÖöØø])|(?=[<>≤≥⩽⩾=\-−→⟶➔;\n.!?()\[\]{}%]))(?:"
    + "|".join(
        [
            r"(?P<date>(?<![0-9.,])[0-9]{1,4}(?P<dsep>[/.\-])[0-9]{1,2}(?P=dsep)"
            r"[0-9]{2,4}(?![0-9]))",
            # a day and month after "on", "from", "dated" ("labs from 5/9"): a date, not a pair
            r"(?P<sdate>(?:(?<=\bon )|(?<=\bfrom )|(?<=\bdated )|(?<=\bsince )|(?<=\bof )"
            r"|(?<=\bdrawn )|(?<=\bcollected ))(?:0?[1-9]|[12][0-9]|3[01])/(?:0?[1-9]|[12][0-9]|"
            r"3[01])(?![0-9.,/]|\s*(?:to|-|–)\s*[0-9]|\s*(?:ng|pg|pmol|nmol|iu|miu|u/|mu|%)))",
            rf"(?P<mdate>{_MONTH_DAY})",
            rf"(?P<time>(?<![0-9.,])[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?(?:{S}[ap]\.?m\.?)?"
            rf"(?![0-9]))",
            rf"(?P<label>{B}(?:(?P<azoo>{_AZOO})|(?P<crypto>{_CRYPTO})){E})",
            rf"(?P<height>{_HEIGHT})",
            rf"(?P<stone>{_STONE})",
            rf"(?P<between>{_BETWEEN})",
            rf"(?P<name>{B}(?:{'|'.join(p for _, p, _ in NAMES)}){E})",
            rf"(?P<garbled>(?<![A-Za-z0-9_.,]){GARBLED}(?![A-Za-z0-9_]))",
            rf"(?P<value>{_VALUE})",
            rf"(?P<ref>{_REF})",
            rf"(?P<cmp>{_CMP})",
            rf"(?P<change>{_CHANGE})",
            rf"(?P<from>{B}from{E})",
            rf"(?P<qual>{_QUAL})",
            rf"(?P<barrier>{_BARRIER})",
            r"(?P<open>[(\[{])",
            r"(?P<close>[)\]}])",
        ]
    )
    + ")"
)
_TRAILING_BOUND = re.compile(
    rf"{S}(?:or|and){W}(?:greater|more|higher|above|over|less|lower|below|under|up|down){E}"
    rf"|\+(?![0-9A-Za-z])",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r",|;|\b(?:and|but|while|whereas)\b")
_ADJACENT_GAP = re.compile(r"[\s,:=\-]{0,6}(?:(?:of|for|my|the|your|serum)\s{1,3}){0,2}", re.I)
_ML_OF = re.compile(rf"{S}of{W}(?!semen|ejaculate|sample|fluid|cum)", re.IGNORECASE)
_SEMEN_CONTEXT = re.compile(
    r"semen|sperm|ejaculat|motil|morpholog|concentrat|oligo|azoo|crypto|(?<![a-z])sa(?![a-z])",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"(?<![a-z'’])(?:i|i'm|i’m|im|i've|i’ve|my|mine|me|we|our)(?![a-z'’])", re.I)
_NEGATION = re.compile(
    r"(?<![a-z])(?:not|never|isn'?t|wasn'?t|aren'?t|don'?t|doesn'?t|didn'?t|without|if|whether|"
    r"rule[sd]?\s+out|negative\s+for|no\s+longer)(?![a-z])",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]{1,3}(?=\s|$)|[;\n]")
_RESULT_VERB = re.compile(
    rf"{S}(?:levels?{W})?(?:is|was|were|are|came{W}back|came{W}in|showed|reads?|results?|"
    rf"resulted){E}|{S}[:=]",
    re.IGNORECASE,
)
_OWNED = re.compile(r"(?<![a-z])(?:my|our|mine|his)\s{1,3}(?:[a-z]{1,12}\s{1,3}){0,2}$", re.I)
_SAME_NAME_GAP = re.compile(r"[\s,:(\[/\-]{0,4}")
_CHAIN_GAP = re.compile(r"\s{0,3}(?:,|and|&|/|or)\s{0,3}", re.IGNORECASE)
_RULED_OUT = re.compile(r"(?<![a-z])(?:not|instead\s+of|rather\s+than)\s{1,3}$", re.I)
_UNKNOWN_UNIT = re.compile(r"[ \t]{0,2}(?P<word>[^\W\d_]{1,})/[^\W\d_]{1,4}(?![^\W\d_])")
_FACTOR = re.compile(r"[a-z%][ \t]{0,2}[x×*/÷][ \t]{0,2}$")
_EQUALS = re.compile(r"[ \t]{0,2}=")
_CONDITION = re.compile(r"(?<![a-z])(?:if|unless|whether|should|would|could)(?![a-z])", re.I)
_HYPOTHETICAL = re.compile(r"(?<![a-z])(?:if|when|whether|what|would|could|should)(?![a-z])", re.I)
_ARTICLE_BEFORE = re.compile(
    r"(?<![a-z])(?:the|a|another|this|that|next|last|first|second|blood|lab|semen|sperm|urine|"
    r"dna|covid|pregnancy|fertility|my\s+\w+)\s+$",
    re.IGNORECASE,
)


def _lowering_table() -> dict[int, int]:
    """ASCII letters lowered, full-width forms ("Ｔ ３００") and odd spaces made ASCII: one
    character for one, so that positions do not move."""
    table = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
    for c in range(0xFF01, 0xFF5F):
        ascii_c = c - 0xFEE0
        table[c] = ascii_c + 32 if ord("A") <= ascii_c <= ord("Z") else ascii_c
    for c in (0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
              0x200A, 0x202F, 0x205F, 0x3000):  # fmt: skip
        table[c] = 0x20
    table[ord("_")] = 0x20  # specimen codes: "S_LH 6,8 IU/l" reads as "S LH 6,8 IU/l"
    return table


_ASCII_LOWER = _lowering_table()
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_THOUSANDS = re.compile(r"-?[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_AGE_MARKS = frozenset("歳岁세才")
_MINUTES_MARK = re.compile(r"\s?['′][ \t]*[):,]")  # "a 60'):" (not 5'9", feet and inches)
_DEGREES = re.compile(r"[ \t]?[°º][ \t]?[CF]\b")
_CELSIUS = re.compile(r"[ \t]C\b(?![ \t]*[0-9])")
# (a lower-case "h" only: "45 H" is a report's flag)
_HOURS_AFTER = re.compile(
    r"(?:(?i:ère|ere|er|re|st|nd|rd|th|e|ª|º|°)[ \t]+)?"  # "à la 1ère heure", "after the 1st hour"
    r"[ \t]?(?:h(?![^\W\d_])|(?i:hrs?|hours?|std|stunden?|heures?|uur|horas?|"
    r"ore|ora)(?![^\W\d_]))"
)
_TIMES_A_NUMBER = re.compile(r"[ \t]*[×x*][ \t]*(?!10[ \t]*(?:\^|e|E|[⁰¹²³⁴⁵⁶⁷⁸⁹]))[0-9]")
_A_NUMBER_TIMES = re.compile(r"[0-9][ \t]*[×x*][ \t]*$")
_TOTAL_BY_UNIT = {
    "%": "motility_total", "M": "total_count", "m": "total_count",
    "ng/dL": "total_t", "nmol/L": "total_t", "ng/mL": "total_t",
}  # fmt: skip
_SEMEN_ANALYTES = frozenset({"semen_volume", "concentration", "total_count"})
_QUOTES = frozenset({'"', "″", "”", "''", "′′", "’’"})


@dataclass(frozen=True)
class Mention:
    """A number paired with an analyte, as typed; `number` is already a float."""

    analyte: str
    number: float
    number2: float | None
    value_text: str
    unit_text: str | None
    unit_key: str | None
    span: tuple[int, int]
    name_text: str | None = None
    bound: str | None = None
    personal: bool = True
    note: str = ""
    # Where the value stands in time: "current", or "older" (a previous result, an earlier
    # draw); `when` is a sortable date (yyyy-mm-dd) when the text gives one.
    role: str = "current"
    when: str | None = None
    source: str = "prose"  # "prose" or "row" (read from a lab report's row)


@dataclass(frozen=True)
class NoValue:
    """An analyte named without a number ("E2 is high")."""

    analyte: str
    name_text: str
    span: tuple[int, int]
    qualifier: str | None
    owned: bool
    prompted: bool
    statement: bool
    whole: bool


@dataclass(frozen=True)
class Orphan:
    """A number with a hormone unit but no name ("118 pmol/L")."""

    value_text: str
    unit_text: str
    span: tuple[int, int]
    number: float = 0.0
    unit_key: str = ""


@dataclass(frozen=True)
class LabelHit:
    kind: str
    text: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Garbled:
    """A number damaged by OCR or typing ("3O0", "4..1") after a test name: never read."""

    text: str
    name_text: str
    analyte: str
    span: tuple[int, int]
    reason: str = "it looks garbled"


@dataclass
class ParseResult:
    mentions: list[Mention] = field(default_factory=list)
    novalues: list[NoValue] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    labels: list[LabelHit] = field(default_factory=list)
    garbled: list[Garbled] = field(default_factory=list)


@dataclass
class _Val:
    start: int
    end: int
    text: str
    number: float
    number2: float | None
    unit_text: str | None
    unit_key: str | None
    cmp: str | None
    range_sep: str | None = None


@dataclass
class _Name:
    analyte: str
    text: str
    start: int
    end: int
    weak: bool
    has_value: bool = False
    tentative: _Val | None = None
    qualifier: str | None = None
    owned: bool = False


def to_float(text: str) -> float:
    """A typed number as float: "9,4" -> 9.4, "1,200" -> 1200, ".5" -> 0.5."""
    t = text.replace("−", "-").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in t:
        t = t.replace(",", "") if _THOUSANDS.fullmatch(t) else t.replace(",", ".")
    return float(t)


_NAME_CACHE: dict[str, tuple[str, bool]] = {}


def _name_of(text: str, start: int, end: int) -> tuple[str, bool]:
    """Which NAMES entry matched text[start:end]. The answer depends only on the matched words
    (lookaheads decide whether a name matches at all, never which one), so it is memoised."""
    key = text[start:end]
    hit = _NAME_CACHE.get(key)
    if hit is not None:
        return hit
    found = ("other", True)  # unreachable: the scanner matched one of these patterns
    for analyte, regex, weak in _NAME_RES:
        m = regex.match(text, start)
        if m is not None and m.end() == end:
            found = (analyte, weak)
            break
    if len(_NAME_CACHE) > 4096:
        _NAME_CACHE.clear()
    _NAME_CACHE[key] = found
    return found


class _Pairer:
    """The state machine that pairs names and numbers (rules in the module docstring)."""

    def __init__(self, text: str, orig: str, semen_context: bool | None = None) -> None:
        self.text = text
        self.orig = orig
        self.out = ParseResult()
        self.cur: _Name | None = None
        self.unclaimed: _Val | None = None
        self.valueless: list[_Name] = []
        self.pending_change = False
        self.pending_ref = False
        self.pending_from = False
        self.earlier: set[int] = set()  # starts of values a change word marks as the earlier one
        self.pending_cmp: str | None = None
        self.last_qual: tuple[str, int] | None = None
        self.last_kind = ""
        self.last_emitted: str | None = None  # within the current sentence
        self.brackets: list[list[bool]] = []  # [opened right after a value, holds a name]
        # the whole message, when it is short enough to be just a name ("E2", "my testosterone")
        self.whole = (
            text.strip(" \t\r\n.?!:;").lower() if len(text) <= 60 and semen_context is None
            else None
        )  # fmt: skip
        if semen_context is None:
            semen_context = _SEMEN_CONTEXT.search(text) is not None
        self.semen_context = semen_context
        self._sentences = [m.end() for m in _SENTENCE_END.finditer(text)]
        self._breaks: list[tuple[int, int]] | None = None  # sentence breaks, found when needed
        self._reference_cache: dict[tuple[int, int], bool] = {}
        self._personal_cache: dict[int, bool] = {}
        self.closed: list[_Name] = []  # names that got no number
        # Several values for one name in one sentence ("9.4 nmol/L last year and 15 now"):
        # indices into out.mentions, resolved in finish() by the words around each value.
        self.repeats: dict[int, list[int]] = {}
        self.first_value: dict[int, tuple[_Val, int]] = {}  # name -> (value, mention index)

    # -- sentences -------------------------------------------------------------------------
    def _sentence_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._sentences, pos)
        start = self._sentences[i - 1] if i > 0 else 0
        end = self._sentences[i] if i < len(self._sentences) else len(self.text)
        return start, end

    def _wrapped_sentence_bounds(self, pos: int) -> tuple[int, int]:
        """`_sentence_bounds`, running on across a line break that wraps a sentence (a letter
        copied from a PDF: "His previous\nsample in October 2024 was similar (...)"): the line
        ends without a stop and the next one starts in lower case."""
        start, end = self._sentence_bounds(pos)
        while start > 1 and self._wraps(start):
            start = self._sentence_bounds(start - 2)[0]
        while end < len(self.text) and self._wraps(end):
            end = self._sentence_bounds(end)[1]
        return start, end

    def _wraps(self, line_start: int) -> bool:
        """Whether the line break just before `line_start` is inside a sentence."""
        text, orig = self.text, self.orig
        if text[line_start - 1 : line_start] != "\n" or line_start < 2 or len(orig) != len(text):
            return False
        return text[line_start - 2] not in ".!?:;\n" and orig[line_start : line_start + 1].islower()

    def reference_sentence(self, pos: int) -> bool:
        """A sentence about reference values ("WHO lower limits are 1.4 mL, 16 million/mL"),
        not the user's own results (it names no I/my/we). A sentence here runs across single
        line breaks: letters wrap their sentences."""
        if self._breaks is None:
            self._breaks = [m.span() for m in _SENTENCE_BREAK.finditer(self.text)]
        i = bisect.bisect_left(self._breaks, (pos, pos))
        before = self._breaks[i - 1] if i > 0 else None
        start = before[1] if before and before[0] >= pos - 400 else max(0, pos - 400)
        after = self._breaks[i] if i < len(self._breaks) else None
        end = after[0] if after and after[0] < pos + 400 else min(len(self.text), pos + 400)
        key = (start, end)
        if key not in self._reference_cache:
            self._reference_cache[key] = (
                _REFERENCE_SENTENCE.search(self.text, start, end) is not None
                and _PERSONAL.search(self.text, start, end) is None
            )
        return self._reference_cache[key]

    def personal(self, pos: int) -> bool:
        start, end = self._sentence_bounds(pos)
        if start not in self._personal_cache:
            self._personal_cache[start] = _PERSONAL.search(self.text, start, end) is not None
        return self._personal_cache[start]

    # -- emitting --------------------------------------------------------------------------
    def emit(self, analyte: str, v: _Val, name: _Name | None, note: str = "") -> None:
        if analyte == "other" or self.reference_sentence(v.start):
            return
        if analyte == "weight" and _WEIGHT_CHANGE.search(self.text, max(0, v.start - 24), v.start):
            return  # "after dropping 34 lbs": a change, not a weight
        if analyte == "sperm_count" and v.unit_key in ("M/mL", "/mL"):
            analyte = "concentration"
        self.last_emitted = analyte
        self.out.mentions.append(
            Mention(
                analyte=analyte,
                number=v.number,
                number2=v.number2,
                value_text=v.text,
                unit_text=v.unit_text,
                unit_key=v.unit_key,
                span=(v.start, v.end),
                name_text=name.text if name else None,
                bound=v.cmp,
                personal=self.personal(v.start),
                note=note,
                role="older" if v.start in self.earlier else "current",
            )
        )

    def resolve_alone(self, v: _Val) -> None:
        """A number no name claimed: keep it when its unit names the analyte."""
        unit = v.unit_key
        if unit is None:
            return
        analyte = UNIT_ANALYTE.get(unit)
        if unit == "m" and not 1.0 <= v.number <= 2.5:
            return
        if analyte is not None and self.labelled_as_other(v.start):
            return  # "Peroxidase + cells    0,3 x10^6/ml": the row names another test
        if unit == "mL" and (
            not self.semen_context
            or _ML_OF.match(self.text, v.end)
            or _TESTES.search(self.text, max(0, v.start - 40), v.start)
        ):
            return  # "Testes 18 mL": a testicular volume, not the semen volume
        if analyte is not None:
            self.emit(analyte, v, None)
        elif unit == "%" and self.last_emitted in _SEMEN_ANALYTES:
            self.emit("motility_total", v, None, "no name typed; read as total motility")
        elif unit == "ng/dL" and v.number >= 50:
            self.emit("total_t", v, None, "no name typed; ng/dL read as total testosterone")
        elif unit in HORMONE_UNITS and v.cmp is None:
            self.out.orphans.append(
                Orphan(v.text, v.unit_text or "", (v.start, v.end), v.number, unit)
            )

    def labelled_as_other(self, start: int) -> bool:
        """Whether the number at `start` sits in a column after the name of a test or cell type
        that is not ours ("Round cells      1,1 x10^6/ml", "Motile sperm conc.   2,0 x10^6/ml")."""
        line = self.text[self.text.rfind("\n", 0, start) + 1 : start]
        m = _COLUMN_LABEL.fullmatch(line)
        return m is not None and identify(m.group(1)) == "other"

    def flush_unclaimed(self) -> None:
        if self.unclaimed is not None:
            self.resolve_alone(self.unclaimed)
            self.unclaimed = None

    def close_name(self) -> None:
        n = self.cur
        if n is not None and not n.has_value:
            if n.tentative is not None:
                self.emit(self.resolve_analyte(n, n.tentative) or n.analyte, n.tentative, n)
            elif n.analyte not in ("other", "total") and not n.weak:
                self.closed.append(n)
        self.cur = None

    # -- compatibility ---------------------------------------------------------------------
    @staticmethod
    def resolve_analyte(n: _Name, v: _Val) -> str | None:
        """The analyte `v` would be for name `n`, or None when the unit does not fit."""
        unit = v.unit_key
        if n.analyte == "other":
            if unit in UNIT_ANALYTE and unit != "m" and not _CELLS.fullmatch(n.text.lower()):
                return None  # "WBC <1M/mL" keeps its count: white cells are not sperm
            if unit in _MASS_HORMONE_UNITS and _DRUG.fullmatch(n.text.lower()):
                return None  # "anastrozole 1 mg and now it is 410 ng/dL": a drug is not in ng/dL
            return "other"
        if n.analyte == "total":
            return _TOTAL_BY_UNIT.get(unit or "")
        if unit is None or unit in ACCEPTS.get(n.analyte, frozenset()):
            return n.analyte
        return None

    def mismatch(self, n: _Name, v: _Val) -> bool:
        """A hormone unit on the wrong analyte: kept so the user is asked about it."""
        return v.unit_key in HORMONE_UNITS and n.analyte in SPECS

    def in_annotation(self) -> bool:
        return any(after and not has_name for after, has_name in self.brackets)

    # -- tokens ----------------------------------------------------------------------------
    def on_name(self, n: _Name) -> None:
        c = self.cur
        if (
            c is not None
            and not c.has_value
            and c.tentative is None
            and (n.analyte == c.analyte or (n.analyte == "total" and c.analyte != "other"))
            and _SAME_NAME_GAP.fullmatch(self.text, c.end, n.start) is not None
        ):
            return  # "testosterone (total) 300", "E2 (estradiol) 40": one name
        if (
            c is not None
            and n.analyte == c.analyte
            and id(c) in self.first_value
            and not self.text[self.first_value[id(c)][0].end : n.start].strip()
        ):
            return  # "Morphology 6 % normal forms": the test named again after its value
        u = self.unclaimed
        if (
            u is not None
            and _ADJACENT_GAP.fullmatch(self.text, u.end, n.start) is not None
            and self.resolve_analyte(n, u) is not None
        ):
            n.tentative = u
            self.unclaimed = None
        else:
            self.flush_unclaimed()
        self.close_name()
        if self.last_qual is not None and 0 <= n.start - self.last_qual[1] <= 3:
            n.qualifier = self.last_qual[0]  # "high E2"
        prev = self.valueless[-1] if self.valueless else None
        n.owned = _OWNED.search(self.text, max(0, n.start - 30), n.start) is not None or (
            prev is not None
            and prev.owned
            and _CHAIN_GAP.fullmatch(self.text, prev.end, n.start) is not None
        )
        self.cur = n
        self.pending_change = self.pending_ref = False
        if self.brackets:
            self.brackets[-1][1] = True
        if n.tentative is None:
            self.valueless.append(n)
            del self.valueless[:-8]  # "FSH and LH ... high": only the last few names matter
        else:
            self.valueless = []

    def on_value(self, v: _Val, nxt: _Name | None) -> None:
        if self.pending_cmp is not None and v.cmp is None:
            v.cmp = self.pending_cmp
        self.pending_cmp = None
        if self.in_annotation() or self.pending_ref:
            self.pending_ref = False
            return
        if self.set_aside(v):
            return
        unknown = _UNKNOWN_UNIT.match(self.text, v.end) if v.unit_key is None else None
        if unknown is not None and identify(unknown.group("word")) is None:
            self.on_garbled(v.start, unknown.end(), "its unit is not one this reader knows")
            return  # "concentration 22 thousand/ml": never 22 million
        if v.unit_key is None and _DECADE.match(self.text, v.end) and v.number % 10 == 0:
            self.on_garbled(v.start, v.end + 1, "it names a span of values, not one value")
            return  # "SHBG somewhere in the 30s", "T in the high 400's"
        if self.pending_from and v.range_sep is not None and "to" in v.range_sep.lower():
            self.pending_from = False
            low_text, _, high_text = v.text.rpartition("-")
            first = _Val(v.start, v.end, low_text, v.number, None, v.unit_text, v.unit_key, v.cmp)
            second = _Val(v.start, v.end, high_text, v.number2 or v.number, None, v.unit_text,
                          v.unit_key, v.cmp)  # fmt: skip
            self.place(first, None)
            self.pending_change = True
            self.place(second, nxt)
            return
        if self.pending_from and _THEN_TO.match(self.text, v.end):
            # "went from ~4M to ~11M": the value after "from" is the earlier one
            self.pending_from = False
            self.place_older(v, nxt)
            self.pending_change = True
            return
        self.pending_from = False
        if _FROM_EARLIER.search(self.text, max(0, v.start - 30), v.start):
            self.pending_change = False  # "15 now, down from 18": 18 is no newer result
            self.place_older(v, nxt)
            return
        self.place(v, nxt)

    def place_older(self, v: _Val, nxt: _Name | None) -> None:
        """Place `v` as an earlier result (whenever it is emitted: now, or once its name is
        known)."""
        self.earlier.add(v.start)
        self.place(v, nxt)

    def set_aside(self, v: _Val) -> bool:
        """A number the writer rules out ("FSH is 4.8 not 48") or a bound in a condition ("as
        an option if repeat T < 300"): neither is a result."""
        if _RULED_OUT.search(self.text, max(0, v.start - 16), v.start) is not None:
            return True
        if _FACTOR.search(self.text, max(0, v.start - 12), v.start) and _EQUALS.match(
            self.text, v.end
        ):
            return True  # "nmol/L x 28.84 = ng/dL": a conversion factor
        if v.cmp is None:
            return False
        s_start, _ = self._sentence_bounds(v.start)
        clause = self.text[max(s_start, v.start - 40) : v.start]
        return _CONDITION.search(re.split(r"[,;:]", clause)[-1]) is not None

    def names_the_value(self, n: _Name, v: _Val, nxt: _Name | None) -> bool:
        """Whether the name right after `v`, not the open name `n`, owns it."""
        if nxt is None or self.resolve_analyte(nxt, v) is None:
            return False
        if n.tentative is not None and _ADJACENT_GAP.fullmatch(self.text, v.end, nxt.start):
            return True  # "40% total (25% progressive)": 25% belongs to the name after it
        # "motile 41%, 28% moving forward": 28% is not a second motility; "motility 30%
        # progressive": the grade after the value names it (not in "motility 38% progressive
        # 25%", where the grade has its own value)
        return (
            (n.has_value or (n.analyte == "motility_total" and "total" not in n.text.lower()))
            and nxt.analyte != n.analyte
            and re.fullmatch(r"[ \t]{1,3}", self.text[v.end : nxt.start]) is not None
            and re.match(r"[ \t:=]*[0-9]", self.text[nxt.end : nxt.end + 8]) is None
        )

    def place(self, v: _Val, nxt: _Name | None) -> None:
        n = self.cur
        if (
            n is not None
            and n.weak
            and not n.has_value
            and _CLAUSE_BREAK.search(self.text, n.end, v.start) is not None
        ):
            n = None  # "the sperm were moving, and 28% were moving forward": not "moving 28%"
        if n is not None and self.names_the_value(n, v, nxt):
            n = None
        wide = (
            v.number2 is not None
            and min(v.number, v.number2) > 0
            and (max(v.number, v.number2) / min(v.number, v.number2) > 1.5)
        )
        after_value = self.last_kind == "value"
        if n is not None:
            analyte = self.resolve_analyte(n, v)
            if analyte is not None or (not n.has_value and self.mismatch(n, v)):
                if not n.has_value:
                    if n.tentative is not None:
                        self.resolve_alone(n.tentative)
                        n.tentative = None
                    before = len(self.out.mentions)
                    self.emit(analyte or n.analyte, v, n)
                    n.has_value = True
                    if len(self.out.mentions) > before:
                        self.first_value[id(n)] = (v, before)
                    self.after_attach()
                    return
                if wide and after_value:
                    return  # "Testosterone 11.6 nmol/L 8.4-28.7": its reference interval
                if self.pending_change:
                    self.emit(analyte or n.analyte, v, n)
                    self.after_attach()
                    return
                if analyte is not None and self.repeat_of(n, v):
                    first_index = self.first_value[id(n)][1]
                    before = len(self.out.mentions)
                    self.emit(analyte, v, n)
                    if len(self.out.mentions) > before:
                        self.repeats.setdefault(id(n), [first_index]).append(before)
                    self.after_attach()
                    return
        if wide and after_value:
            return  # "300 ng/dL 264-916": the reference interval
        self.flush_unclaimed()
        self.unclaimed = v
        self.pending_change = False

    def repeat_of(self, n: _Name, v: _Val) -> bool:
        """A second result for the same test in the same sentence: same unit (or both without
        one and of the same size), so it is the test again, not an age or a dose."""
        if id(n) not in self.first_value:
            return False
        first = self.first_value[id(n)][0]
        if self._sentence_bounds(first.start) != self._sentence_bounds(v.start):
            return False
        if first.unit_key is not None or v.unit_key is not None:
            return first.unit_key == v.unit_key
        low, high = sorted((abs(first.number), abs(v.number)))
        return low > 0 and high / low < 3

    def after_attach(self) -> None:
        self.pending_change = False
        self.valueless = []
        self.flush_unclaimed()

    def on_garbled(self, start: int, end: int, reason: str = "it looks garbled") -> None:
        """A damaged number after a name: the name gets no value (not a later one either)."""
        n = self.cur
        self.flush_unclaimed()
        if n is not None and not n.has_value and n.analyte not in ("other", "total"):
            self.out.garbled.append(
                Garbled(self.orig[start:end], n.text, n.analyte, (start, end), reason)
            )
            n.has_value = True

    def on_barrier(self) -> None:
        self.flush_unclaimed()
        self.close_name()
        self.last_emitted = None
        self.valueless = []
        self.pending_change = self.pending_ref = self.pending_from = False
        self.pending_cmp = None

    def on_qualifier(self, text: str, end: int) -> None:
        for n in self.valueless:
            n.qualifier = text
        self.last_qual = (text, end)

    def on_label(self, kind: str, start: int, end: int) -> None:
        s_start, _ = self._sentence_bounds(start)
        before = self.text[max(s_start, start - 40) : start]
        if self.personal(start) and _NEGATION.search(before) is None:
            self.out.labels.append(LabelHit(kind, self.orig[start:end], (start, end)))

    def resolve_repeats(self, indices: list[int]) -> None:
        """Give each repeated value of one test a role from the words next to it: the value
        marked new ("now", "latest") is current, the others older; with no such words the
        values stay "unordered" and the pipeline asks which one is current."""
        ms = [self.out.mentions[i] for i in indices]
        marks = []
        for k, m in enumerate(ms):
            before = self.text[ms[k - 1].span[1] if k else max(0, m.span[0] - 40) : m.span[0]]
            after = self.text[m.span[1] : ms[k + 1].span[0] if k + 1 < len(ms) else m.span[1] + 40]
            marks.append(_time_mark(before, after, lead_in=True))
        if marks.count("new") == 1:
            current = marks.index("new")
        elif marks.count("old") == len(ms) - 1 and "" in marks:
            current = marks.index("")
        else:
            current = None
        for k, i in enumerate(indices):
            role = "unordered" if current is None else ("current" if k == current else "older")
            self.out.mentions[i] = replace(self.out.mentions[i], role=role)

    def mark_unnamed_rivals(self) -> None:
        """Numbers no name claimed, read as an analyte from their unit alone ("318 ng/dL" under
        a heading the reader did not take apart): when several differ, nothing says which is
        the result and which are ranges or older draws, so they are left unordered and the
        pipeline asks."""
        unnamed: dict[str, list[int]] = {}
        for i, m in enumerate(self.out.mentions):
            if m.name_text is None and m.bound is None and m.role == "current":
                unnamed.setdefault(m.analyte, []).append(i)
        for indices in unnamed.values():
            if len({self.out.mentions[i].number for i in indices}) > 1:
                for i in indices:
                    self.out.mentions[i] = replace(self.out.mentions[i], role="unordered")

    def mark_lone_past_values(self, repeated: set[int]) -> None:
        """A value the words beside it place in the past ("my T was 9.4 last year", "BMI was 31
        when all this started") is an older result even with no newer one beside it; the
        pipeline then says so instead of showing it as current. Of a test given in several
        sentences, one each ("Total testosterone 8.1 nmol/L. ... A testosterone level from
        2022 was 10.5 nmol/L."), those whose own clause places them in the past are older
        when another is not so placed."""
        count = Counter(m.analyte for m in self.out.mentions)
        spread: dict[str, list[int]] = {}
        for i, m in enumerate(self.out.mentions):
            if i in repeated or m.role != "current" or m.bound is not None:
                continue
            if count[m.analyte] > 1:
                spread.setdefault(m.analyte, []).append(i)
                continue  # with two values, "3 weeks ago" may well mark the newer one
            before = self.text[max(0, m.span[0] - 40) : m.span[0]]
            if _time_mark(before, self.text[m.span[1] : m.span[1] + 40]) == "old":
                self.out.mentions[i] = replace(m, role="older")
        for indices in spread.values():
            spans = [self.out.mentions[i].span for i in indices]
            bounds = [self._wrapped_sentence_bounds(s[0]) for s in spans]
            if len(indices) != count[self.out.mentions[indices[0]].analyte] or len(
                set(bounds)) != len(bounds):  # fmt: skip
                continue
            marks = [_sentence_mark(self.text[b[0] : b[1]]) for b in bounds]
            if not any(marks):  # no sentence is past beyond doubt: each value's own clause
                marks = [self._own_mark(self.out.mentions[i]) for i in indices]
                if marks.count("new") == 1:
                    marks = ["" if mark == "new" else "old" for mark in marks]
            if "old" in marks and "" in marks and "new" not in marks:
                for i, mark in zip(indices, marks, strict=True):
                    if mark == "old":
                        self.out.mentions[i] = replace(self.out.mentions[i], role="older")

    def _own_mark(self, m: Mention) -> str:
        """ "new", "old" or "": how the words of a value's own clause place it in time."""
        s_start, s_end = self._sentence_bounds(m.span[0])
        before, after = self.text[s_start : m.span[0]], self.text[m.span[1] : s_end]
        return _time_mark(before, after, _EARLIER_ONE, lead_in=True)

    def finish(self) -> ParseResult:
        self.flush_unclaimed()
        self.close_name()
        for indices in self.repeats.values():
            self.resolve_repeats([i for i in indices if i < len(self.out.mentions)])
        self.mark_lone_past_values({i for ind in self.repeats.values() for i in ind})
        self.mark_unnamed_rivals()
        for n in self.closed:  # built last: a qualifier may follow several names
            s_start, s_end = self._sentence_bounds(n.start)
            before = self.text[max(s_start, n.start - 60) : n.start]
            question = "?" in self.text[max(n.end, s_end - 3) : s_end]
            self.out.novalues.append(
                NoValue(
                    n.analyte,
                    n.text,
                    (n.start, n.end),
                    n.qualifier,
                    n.owned,
                    _RESULT_VERB.match(self.text, n.end) is not None,
                    not question and _HYPOTHETICAL.search(before) is None,
                    self.whole in (n.text.lower(), f"my {n.text.lower()}"),
                )
            )
        return self.out


_NEWER = re.compile(
    r"\b(?:now|currently|current|today|latest|most recent|recent(?:ly)?|this time|newest|"
    r"new|after|retest(?:ed)?|re-?tested|repeat(?:ed)?|redo(?:ne)?|follow-?up|"
    r"this (?:week|month|year)|second|2nd)\b",
    re.IGNORECASE,
)
# Past beyond doubt, whatever else the message says ("3 weeks ago" may be the latest result;
# "in 2022" and "last year" are not).
_LONG_AGO = re.compile(
    r"\b(?:(?:in|from) (?:19|20)[0-9]{2}|last year|years? ago|previous(?:ly)?|prior|back in|"
    r"back then|at baseline|used to|originally|initially|"
    # "Seminograma previo (11/10/2024): ...", "Spermiogramm vorher", "analyse précédente"
    r"previ[oa]s?|anteriou?re?s?|precedente?s?|pr[eé]c[eé]dente?s?|vorherige[nrs]?|fr[uü]here[nrs]?|"
    r"vorige|eerdere|tidigare|forrige|poprzedni[ae]?)\b",
    re.IGNORECASE,
)
# Any word placing a value before another: the beyond-doubt ones and the relative ones.
_BEFORE_ANOTHER = (
    rf"{_LONG_AGO.pattern}|\b(?:before|earlier|at first|first|1st|old|"
    r"when (?:all )?(?:this|it) (?:all )?started|at the (?:start|beginning)|"
    # the other side of a comparison: "better than his November 2024 sample (...)"
    r"than (?:his|my|the|a|an|her|your|their|our) (?:[\w-]+ ){0,3}(?:samples?|specimens?|"
    r"results?|tests?|analys[ie]s|one|counts?|draws?|reports?|sa|labs?|bloods?))\b"
)
_OLDER = re.compile(rf"{_BEFORE_ANOTHER}|\b(?:last (?:month|week|time)|ago)\b", re.IGNORECASE)
# Of values in different sentences, "3 weeks ago" or "last month" may well be the newest.
_EARLIER_ONE = re.compile(_BEFORE_ANOTHER, re.IGNORECASE)
# "322, up a bit from 298", "15 now, down from 18": the value after "from" is the earlier one.
_FROM_EARLIER = re.compile(
    r"\b(?:up|down|higher|lower|increased|decreased|improved|dropped|rose|fell|better|worse)"
    r"(?:\s+\w+){0,2}\s+from\s*$",
    re.IGNORECASE,
)
# "from 4M to 11M", "from 252 lbs -> 229": what follows the earlier value of a change
_THEN_TO = re.compile(
    r"\s*(?:[^\W\d_%/]{1,8}\s*|%\s*|[a-zµ]*/[a-zµ]+\s*)?(?:to|->|→|=>)\s+[~≈]?\s*[0-9]",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"\s*(?:,|;|[.!?](?=\s)|\band\b|\bbut\b|\bthen\b|->|→|[()])\s*", re.IGNORECASE)


def _sentence_mark(sentence: str) -> str:
    """ "old" when a sentence places its values in the past beyond doubt and nothing in it
    says new, else the empty string."""
    return "old" if _LONG_AGO.search(sentence) and not _NEWER.search(sentence) else ""


def _time_mark(
    before: str, after: str, older: re.Pattern[str] = _OLDER, *, lead_in: bool = False
) -> str:
    """The mark "new" or "old" when the words of a value's own clause (the text just `before`
    and `after` it) place it in time one way only, else the empty string; with `lead_in` (a
    value with rivals), also when the lead-in of a colon before it does."""
    clause = _CLAUSE.split(before)[-1]
    if _FROM_EARLIER.search(clause):
        return "old"
    near = f"{clause} {_CLAUSE.split(after)[0]}"
    mark = _one_way(near, older)
    opened = before.rfind("(")
    if not mark and opened >= 0 and ")" not in before[opened:]:
        # Values in brackets belong to what the brackets annotate: "an improvement on his
        # first sample in November (concentration 3.5 million/ml, ...)".
        mark = _one_way(_CLAUSE.split(before[:opened])[-1], older)
    colon = before.rfind(":")
    opened_sentence = max((m.end() for m in _STOP_OR_LINE.finditer(before)), default=0)
    if lead_in and not mark and colon >= opened_sentence:
        # Values listed after a colon belong to what its lead-in names: "This compares with his
        # first sample of 14/11/2024: volume 2.1 ml, 6.5 x10^6/ml, PR 22%".
        mark = _one_way(_CLAUSE.split(before[:colon])[-1], older)
    return mark


# Where the sentence holding a colon's lead-in starts (a stop before a space, or a line break).
# Its own name: the pairer's `_SENTENCE_END` above also ends sentences at ";" and "...".
_STOP_OR_LINE = re.compile(r"[.!?](?=\s)|\n")


def _one_way(words: str, older: re.Pattern[str]) -> str:
    new, old = bool(_NEWER.search(words)), bool(older.search(words))
    return "new" if new and not old else "old" if old and not new else ""


_DRUG = re.compile(
    r"anastrozole|arimidex|letrozole|femara|tamoxifen|nolvadex|clomid|clomiphene|enclomiphene|"
    r"cypionate|enanthate|cyp|trt|dose|dosage"
)
# Names whose count per mL is not of sperm (the names table's own patterns for them).
_CELLS = re.compile(
    rf"wbc|leu[ck]ocytes?|(?:round|pus)\s{{1,3}}cells|{_OTHER_CELLS_NAME}|{_PREPARED_NAME}"
)
_MASS_HORMONE_UNITS = frozenset({"ng/dL", "ng/mL", "ng/L", "nmol/L", "pmol/L", "pg/mL"})
# "FSH/LH 6.2/4.1 mIU/mL", "LH/FSH: 4.1/6.2", "T/E2 300/40 (ng/dL, pg/mL)": two results.
_PAIR_STEP = rf"{S}(?:→|->|=>|to|then|now|and now|,){S}"
_SLASH_PAIR = re.compile(
    rf"{B}(?P<n1>{PAIR_NAMES}){S}/{S}(?P<n2>{PAIR_NAMES}){E}(?:{W}ratios?)?{S}"
    rf"(?:(?:went from|went|was|were|is|are|from|changed from|moved from){S})?[:=]?{S}"
    rf"(?P<v1>{NUM}){S}/{S}(?P<v2>{NUM})"
    rf"(?P<later>(?:{_PAIR_STEP}{NUM}{S}/{S}{NUM})*)"
    rf"(?:{S}\(?{S}(?P<u1>{UNIT})(?:{S},{S}(?P<u2>{UNIT}))?{S}\)?)?"
)
_LATER_PAIR = re.compile(rf"(?P<v1>{NUM}){S}/{S}(?P<v2>{NUM})")
# "LH and FSH 3.1 and 4.4 IU/L respectively", "LH, FSH were 2.9, 5.1": two names, then their
# values in the same order.
_LISTED_PAIR = re.compile(
    rf"{B}(?P<n1>{PAIR_NAMES}){S}(?:and|&|,){S}(?P<n2>{PAIR_NAMES}){E}{S}"
    rf"(?:(?:were|was|are|is|of|at|came back at|came back){S})?[:=]?{S}"
    rf"(?P<v1>{NUM})(?:{S}(?P<u1>{UNIT}))?{S}(?:and|&|,){S}(?P<v2>{NUM})(?:{S}(?P<u2>{UNIT}))?"
    rf"(?P<later>)"
)
_HEIGHT_METRIC = re.compile(r"(?<![0-9.,])(?P<m>[12])[ ]?m[ ]?(?P<cm>[0-9]{2})(?![0-9])")
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")
_TESTES = re.compile(
    # the word may start a compound ("Testikelvolym", "Hodenvolumen", "volume testiculaire")
    r"(?:testes|testicular|testis\w*|testicle|orchidometer|testik\w*|test[ií]cul\w*|hoden\w*)\b"
    r"(?:[^.;\n]|\.(?=\d)|\n(?![ \t]*\n)){0,30}$",  # a letter may wrap the line in between
    re.I,
)
_WEIGHT_CHANGE = re.compile(
    r"\b(?:dropp(?:ed|ing)|drop|lost|losing|lose|loss|gained|gaining|gain|put on|shed|down|up)"
    r"(?:\s+(?:about|around|over|nearly|almost|roughly|~))?\s*[(:]?\s*$",
    re.IGNORECASE,
)
_CLOCK_OR_CODE = re.compile(r"0[0-9]+")
_DECADE = re.compile(r"['’]?s(?![a-z])")
_REFERENCE_SENTENCE = re.compile(
    r"\b(?:for reference|reference (?:values?|ranges?|limits?|intervals?)|lower (?:reference )?"
    r"limits?|upper (?:reference )?limits?|"
    # "in the normal range" judges a result; "normal range 1.7-8.6" states one
    r"(?<!in the )(?<!within )(?<!within the )(?<!outside the )(?<!above the )(?<!below the )"
    r"(?<!out of the )(?<![a-z]-)(?<!low )(?<!high )(?<!mid )normal (?:values?|ranges?|limits?)|"
    r"cut-?offs? (?:is|are)|"
    r"thresholds? (?:is|are)|who (?:19|20)[0-9]{2} (?:lower )?limits?)\b",
    re.IGNORECASE,
)


def _value_from_match(m: re.Match[str], text: str, orig: str) -> _Val | None:
    """The number token of a VALUE/HEIGHT/STONE/BETWEEN match; None when it is not a lab number."""
    start, end = m.span()
    if m.group("height") is not None:
        inches = float(m.group("hft")) * 12 + (to_float(m.group("hin")) if m.group("hin") else 0)
        if m.group("hin") and to_float(m.group("hin")) >= 12:
            return None
        return _Val(start, end, orig[start:end], inches, None, orig[start:end], "ftin", None)
    if m.group("stone") is not None:
        pounds = to_float(m.group("st")) * 14 + (
            to_float(m.group("stlb")) if m.group("stlb") else 0
        )
        return _Val(start, end, orig[start:end], pounds, None, orig[start:end], "lb", None)
    if m.group("between") is not None:
        unit_text = orig[m.start("bunit") : m.end("bunit")] if m.group("bunit") else None
        key = canonical_unit(m.group("bunit")) if m.group("bunit") else None
        if key == "other":
            return None
        if _CLOCK_OR_CODE.fullmatch(m.group("b1")) or _CLOCK_OR_CODE.fullmatch(m.group("b2")):
            return None  # "collect between 0700 and 1000"
        a, b = to_float(m.group("b1")), to_float(m.group("b2"))
        return _Val(start, end, f"{m.group('b1')}-{m.group('b2')}", a, b, unit_text, key, None)
    num_text = m.group("vnum")
    if _CLOCK_OR_CODE.fullmatch(num_text):
        return None  # "0810", "01": a clock time or a code; a result never starts "0" + digit
    number = to_float(num_text)
    if m.group("vexp"):
        number *= 10.0 ** int(m.group("vexp").translate(SUPERSCRIPT_DIGITS))
        num_text = orig[m.start("vnum") : m.end("vexp")]
    if m.group("vneg"):
        number = -number
        num_text = "-" + num_text
    number2 = to_float(m.group("vnum2")) if m.group("vnum2") else None
    unit_text = orig[m.start("vunit") : m.end("vunit")] if m.group("vunit") else None
    if unit_text is None and m.group("vpct"):
        unit_text = "%"
    key: str | None = None
    if unit_text is not None:
        key = canonical_unit(m.group("vunit") or "%")
        glued = not m.group("vgap")
        if key == "st" and glued and number % 10 == 1 and number % 100 != 11:
            key = "other"  # "21st" is an ordinal
        if m.group("vunit") in _QUOTES and not 40 <= number <= 100:
            key, unit_text, end = None, None, m.start("vunit")
        if key == "other":
            return None
    if key is None and number2 is None and _YEAR.fullmatch(num_text) is not None:
        return None  # a year
    if key is None and orig[end : end + 1] in _AGE_MARKS:
        return None  # "40歳代", "36岁": an age
    if key is None and (_HOURS_AFTER.match(orig, end) or _MINUTES_MARK.match(orig, end)):
        return None  # "motility at 1 h", "nach 1 Std", "Motilità (a 60'):": a time
    if key is None and (
        _DEGREES.match(orig, end) or (35 <= number <= 38 and _CELSIUS.match(orig, end))
    ):
        return None  # "at 1 h, 37 C": the temperature the sample was kept at
    if (
        key is None
        and not m.group("vexp")
        and (
            _TIMES_A_NUMBER.match(text, end)
            or _A_NUMBER_TIMES.search(text, max(0, start - 8), start)
        )
    ):
        return None  # "Motilität (2 × 200 Spermien)": how many were counted, not a result
    if key is None and number2 is None and re.fullmatch(r"0[0-9]+", num_text):
        return None  # "LH 01 3.1": a lab or site code; no result is written with a leading zero
    typed = orig[m.start("vnum") : m.end("vexp") if m.group("vexp") else m.end("vnum")]
    if number2 is not None:
        typed += "-" + orig[m.start("vnum2") : m.end("vnum2")]
    if m.group("vneg"):
        typed = "-" + typed
    cmp = m.group("vcmp")
    if cmp is None and _TRAILING_BOUND.match(text, end):
        trail = _TRAILING_BOUND.match(text, end)
        cmp = trail.group(0).strip() if trail else None
    if key is not None and m.group("vunit"):
        value_end = m.end("vunit")
    else:
        value_end = m.end("vnum2") if number2 is not None else m.end("vnum")
    return _Val(start, value_end, typed, number, number2, unit_text, key, cmp, m.group("vrsep"))


def _tokens(text: str, orig: str) -> list[tuple[str, re.Match[str], _Val | _Name | None]]:
    """The scanner's matches in `text` (`orig` with ASCII letters lowered), with numbers and
    names decoded; non-lab numbers become "other". Shown strings are cut from `orig`."""
    out: list[tuple[str, re.Match[str], _Val | _Name | None]] = []
    for m in SCANNER.finditer(text):
        kind = m.lastgroup or ""
        if kind in ("date", "sdate", "mdate", "time"):
            out.append(("other", m, None))
        elif kind in ("value", "height", "stone", "between"):
            v = _value_from_match(m, text, orig)
            out.append(("value", m, v) if v is not None else ("other", m, None))
        elif kind == "name":
            start, end = m.span()
            analyte, weak = _name_of(text, start, end)
            if analyte == "total_t" and weak and re.match("test(?!o)", m.group(0).lower()):
                before = text[max(0, start - 12) : start].lower()
                if _ARTICLE_BEFORE.search(before):
                    continue
            out.append(("name", m, _Name(analyte, orig[start:end], start, end, weak)))
        else:
            out.append((kind, m, None))
    return out


def _annotation(low: str, after: int) -> bool:
    """Whether a bracket opened right after a value holds an annotation (a range, the value in
    another unit, a flag), not an aside in words ("(I'm 5'11" and 196 lbs now)")."""
    close = low.find(")", after, after + 200)
    content = low[after : close if close != -1 else after + 60]
    return len(content.split()) <= 4 and _PERSONAL.search(content) is None


def blanked(low: str, spans: Sequence[tuple[int, int]]) -> str:
    """`low` with the given spans replaced by spaces (offsets unchanged); line breaks stay, so
    a blanked line does not join the lines around it into one."""
    out = list(low)
    for start, end in spans:
        out[start:end] = (" " if c != "\n" else c for c in low[start:end])
    return "".join(out)


def _slash_pairs(low: str, orig: str) -> tuple[list[Mention], str]:
    """Two results written as a pair ("FSH/LH 6.2/4.1"), in the order the names give; their
    text is blanked for the scanner. "T/E2 300/40" is testosterone 300 and estradiol 40, not a
    ratio; a single number after "T/E2" stays a stated ratio (the scanner's)."""
    out: list[Mention] = []
    spans = []
    found = [*_SLASH_PAIR.finditer(low), *_LISTED_PAIR.finditer(low)]
    for m in sorted(found, key=lambda m: m.start()):
        if any(start < m.end() and m.start() < end for start, end in spans):
            continue
        a1, a2 = PAIR_ANALYTE[m.group("n1")], PAIR_ANALYTE[m.group("n2")]
        if a1 == a2:
            continue
        gonadotropins = a1 in ("lh", "fsh") and a2 in ("lh", "fsh")
        if m.re is _LISTED_PAIR:  # a unit after the second value is the pair's
            units = [m.group("u1") or (m.group("u2") if gonadotropins else None), m.group("u2")]
        else:
            units = [m.group("u1"), m.group("u2") or (m.group("u1") if gonadotropins else None)]
        # "T/E2 went 286/41 → 512/22": the last pair is the current one; the others are older.
        last = None
        for later in _LATER_PAIR.finditer(low, m.start("later"), m.end("later")):
            last = later
        pair = orig[m.start("n1") : m.end("n2")]
        note = f"read from the pair “{pair}”"
        if last is not None:
            note += f"; the latest of its pairs, {orig[m.start('v1') : m.end('v2')]} set aside"
        for analyte, key, unit in zip((a1, a2), ("v1", "v2"), units, strict=True):
            start, end = (last or m).span(key)
            unit_key = canonical_unit(unit) if unit else None
            out.append(
                Mention(analyte, to_float(low[start:end]), None, orig[start:end], unit, unit_key,
                        (start, end), pair, note=note)
            )  # fmt: skip
        spans.append(m.span())
    return out, blanked(low, spans) if spans else low


def _metric_heights(low: str, orig: str) -> tuple[list[Mention], str]:
    """A height written "1m80" (1.80 m)."""
    out, spans = [], []
    for m in _HEIGHT_METRIC.finditer(low):
        cm = int(m.group("m")) * 100 + int(m.group("cm"))
        out.append(Mention("height", float(cm), None, orig[m.start() : m.end()], "cm", "cm",
                           m.span()))  # fmt: skip
        spans.append(m.span())
    return out, blanked(low, spans) if spans else low


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SHORT = 2000  # texts up to this length are parsed in one piece


def parse(text: str) -> ParseResult:
    """Pair the names and numbers of `text` (see the module docstring for the rules).

    A long text is parsed paragraph by paragraph (no sentence, name or pairing crosses a blank
    line), and a paragraph seen before (a report pasted twice) is not parsed again."""
    # Matching case-sensitively on a lowered copy is much faster than re.IGNORECASE, and lowering
    # only ASCII letters keeps every position (spans) the same as in `text`.
    low = text.translate(_ASCII_LOWER)
    if len(text) <= _SHORT:
        return _parse_piece(low, text, None)
    semen = _SEMEN_CONTEXT.search(low) is not None
    out = ParseResult()
    start = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(low), None]:
        end = brk.start() if brk is not None else len(text)
        if low[start:end].strip():
            part = _parse_cached(low[start:end], text[start:end], semen)
            out.mentions.extend(shifted(m, start) for m in part.mentions)
            out.novalues.extend(shifted(m, start) for m in part.novalues)
            out.orphans.extend(shifted(m, start) for m in part.orphans)
            out.labels.extend(shifted(m, start) for m in part.labels)
            out.garbled.extend(shifted(m, start) for m in part.garbled)
        start = brk.end() if brk is not None else end
    return out


@functools.lru_cache(maxsize=256)
def _parse_cached(low: str, text: str, semen: bool) -> ParseResult:
    return _parse_piece(low, text, semen)


def _parse_piece(low: str, text: str, semen: bool | None) -> ParseResult:
    """Pair the names and numbers of one piece of text (`low` is `text` lowered)."""
    pairs, low = _slash_pairs(low, text)
    heights, low = _metric_heights(low, text)
    p = _Pairer(low, text, semen)
    p.out.mentions.extend(pairs + heights)
    tokens = _tokens(low, text)
    for i, (kind, m, obj) in enumerate(tokens):
        start, end = m.span()
        if kind == "value":
            assert isinstance(obj, _Val)
            nxt = tokens[i + 1][2] if i + 1 < len(tokens) else None
            p.on_value(obj, nxt if isinstance(nxt, _Name) else None)
            p.last_kind = "value"
            continue
        if kind == "other":
            p.pending_cmp = None
            p.last_kind = "other"
            continue
        if kind == "name":
            assert isinstance(obj, _Name)
            p.on_name(obj)
        elif kind == "label":
            p.on_label("azoospermia" if m.group("azoo") else "cryptozoospermia", start, end)
        elif kind == "ref":
            p.pending_ref = True
        elif kind == "cmp":
            p.pending_cmp = m.group(0)
            p.last_kind = "cmp"
            continue
        elif kind == "change":
            p.flush_unclaimed()
            p.pending_change = True
        elif kind == "from":
            p.pending_from = True
        elif kind == "qual":
            p.on_qualifier(m.group(0), end)
        elif kind == "garbled":
            p.on_garbled(start, end)
        elif kind == "barrier":
            p.on_barrier()
        elif kind == "open":
            if len(p.brackets) < 64:
                p.brackets.append([p.last_kind == "value" and _annotation(low, end), False])
        elif kind == "close" and p.brackets:
            p.brackets.pop()
        p.pending_cmp = None
        p.last_kind = kind
    return p.finish()
