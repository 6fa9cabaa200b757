"""Which test a report row is about: its name cell mapped to an analyte, in several languages.

A row of a lab report starts with (or, with a header, has in its name column) the name of a
test. `identify` maps that name to an analyte key of the package, to "other" (a test we know
and deliberately do not read: prolactin, round cells, free androgen index, % free testosterone,
vitality...), or to None when the name is unknown. A value is only ever read for a recognised
name: an unknown row is skipped, never guessed (a row of round cells in million/mL is not a
sperm concentration).

Names are matched on words: lower case, accents removed, punctuation as spaces, so
"Östradiol (E2)", "Testosteron frei, berechnet", "Testostérone biodisponible (calculée)" and
"TESTOSTERONE, FREE (DIALYSIS)" all read; specimen prefixes fall away as words of their own
("P-Testosteron, fritt", "S_LH", "fS-Testo"); Greek and other scripts are kept ("Όγκος"); a
compound may be matched by its last part ("Sædvolumen": "*volumen"). Two-analyte names
("FSH/LH") are `pair_names`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_PUNCT = re.compile(r"[^\w%+/]+|_+")
# Letters that accent stripping does not fold ("ø" of "Østradiol", "æ" of "sædceller", the
# dotless "ı" of Turkish "sayı"); Greek, Cyrillic and other letters are kept as they are.
_FOLD = str.maketrans({"ß": "ss", "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "ı": "i",
                       "đ": "d", "ð": "d", "ς": "σ"})  # fmt: skip
# The names a slash pair is written with ("FSH/LH 6.2/4.1", "T/E2 300/40"), and what they are.
PAIR_ANALYTE = {"fsh": "fsh", "lh": "lh", "t": "total_t", "testosterone": "total_t",
                "e2": "e2", "estradiol": "e2"}  # fmt: skip
PAIR_NAMES = "|".join(PAIR_ANALYTE)
_SLASH_PAIR = re.compile(rf"^\s*({PAIR_NAMES})\s*[/:]\s*(fsh|lh|e2|estradiol)\b")
_RATIO_WORD = re.compile(r"\s*(?:ratio|quotient|rapport|verh[aä]ltnis|cociente|relaci[oó]n)\b")


# An abbreviation written with dots ("S.H.B.G.", "F.S.H.") is one word, not letters.
_DOTTED_ABBREVIATION = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.)+[^\W\d_]\.?(?![^\W_])")
# A scan's "l" for "I" inside a word of capitals: "ESTRADlOL", "TESTOSTERONA LlBRE".
_CAPITALS_WITH_L = re.compile(r"\b(?=[A-Zl]*[A-Z][A-Zl]*[A-Z])[A-Zl]*l[A-Zl]*\b")


@functools.lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """' word word ' in lower case without accents; keeps %, + and / (they carry meaning).
    Specimen prefixes glued by "_" ("S_Testosteron") come apart like other punctuation."""
    name = _CAPITALS_WITH_L.sub(lambda m: m.group(0).replace("l", "I"), name)
    text = unicodedata.normalize("NFKD", name.lower().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    return " " + _PUNCT.sub(" ", text).strip() + " "


@functools.lru_cache(maxsize=1024)
def _as_normalised(word: str) -> str:
    """A listed word as `normalise` turns a name's words (accents and Japanese voicing marks
    removed, Korean syllables as their letters), its "*" kept."""
    text = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
    return "".join(c for c in text if not unicodedata.combining(c))


def _has(text: str, *words: str) -> bool:
    """Whether any of `words` is a word of `text`; "stem*" starts a word, "*stem" ends one (the
    last part of a compound: "Sædvolumen", "Spermienkonzentration")."""
    for w in words:
        if not w.isascii():
            w = _as_normalised(w)  # "エストラジオール" as `normalise` reads it
        if w.endswith("*"):
            if f" {w[:-1]}" in text:
                return True
        elif w.startswith("*"):
            if f"{w[1:]} " in text:
                return True
        elif f" {w} " in text:
            return True
    return False


# Tests we know and never read (their numbers would be mistaken for ours).
_OTHER_TESTS = (
    "prolactin*", "prolaktin*", "prl", "tsh", "psa", "prostate*", "dhea*", "albumin*",
    "hematocrit*", "haematocrit*", "hamatokrit*", "hemoglobin*", "haemoglobin*", "hct", "hgb",
    "cortisol*", "kortizol*",
    "progesteron*", "estrone", "estriol", "dht", "dihydrotestosteron*", "t3", "t4", "ft3",
    "ft4", "glucose", "hba1c", "cholesterol*", "ldl", "hdl", "triglycerid*", "ferritin*",
    "creatinin*", "alt", "ast", "ggt", "vitamin*", "amh", "inhibin*", "igf*", "fructose",
    "insulin*", "index", "indice", "fai", "androgenindex", "percent", "bp", "age",
    "mcv", "mch", "mchc", "rdw", "platelet*", "plt", "wbc", "rbc", "red cell*", "white cell*",
    "neutrophil*", "lymphocyte*", "monocyte*", "eosinophil*", "basophil*",
    # Russian and Ukrainian (after accent removal "й" is "и", "ї" is "і")
    "пролактин*", "ттг", "тиреотроп*", "пса", "простат*", "дгэа*", "дгеа*", "альбумин*",
    "альбумін*", "гемоглобин*", "гемоглобін*", "гематокрит*", "кортизол*", "прогестерон*",
    "дигидротестост*", "дигідротестост*", "глюкоз*", "холестерин*", "ферритин*", "индекс*",
    "індекс*", "т3", "т4", "тироксин*", "инсулин*", "інсулін*", "амг", "ингибин*",
    # Chinese, Japanese, Korean (one word: these scripts put no spaces between words)
    "泌乳素", "催乳素", "孕酮", "黄体酮", "プロラクチン", "프로락틴", "*年龄", "年龄",
)  # fmt: skip
# Semen-analysis rows that are not sperm (cells, chemistry, physical findings) or not ours.
# A sample washed or prepared for insemination (IUI, IVF) is not the semen analysis: its
# "Post-wash concentration 48" and "motility 88 %" are no reading of the man's semen.
_PREPARED_SAMPLE = (
    "post wash",
    "postwash",
    "wash*",
    "washed",
    "prepared",
    "preparation",
    "inseminat*",
    "swim up",
    "swimup",
    "gradient",
    "aufbereit*",
    "aufgearbeit*",
    "preparacion",
    "preparado",
    "capacit*",
    "preparazione",
    "preparato",
    "opwerking",
    "opgewerkt",
    "lavage",
    "lave",
    "prepare*",
    "migration*",
)
_OTHER_SEMEN = (
    "round*", "rundzell*", "rundcell*", "rondes", "redondas", "rotonde", "λευκ*", "leuko*",
    "leuco*",
    "leuko", "wbc", "pus", "кругл*", "лейкоцит*", "леикоцит*", "эритроцит*", "еритроцит*",
    "жизнеспособ*", "життєздат*", "агглютин*", "аглютин*", "вязк*", "в язк*", "разжиж*",
    "розрідж*", "цвет", "колір", "незрел*", "незріл*",
    "peroxid*", "peroxyd*", "immature*", "imatur*", "immatur*",
    "germ", "spermatogenic", "epithel*", "red", "rbc",
    "vitality", "vitalitat", "vitalite", "vitalidad", "vitalidade", "vitalita", "vitaliteit",
    "vitalitet", "ζωτικοτητ*",
    "zywotnosc", "canlilik", "eosin*", "live", "mar", "igg", "iga", "leucocit*", "leukocyt*",
    "agglutin*", "ph", "viscos*", "viskosi*", "liquef*", "verflussig*", "zkapalnen*",
    "liquefaction",
    "appearance", "aussehen", "aspect", "colour", "color", "couleur", "abnormal", "atypiques",
    "anomal*", "head", "midpiece", "tail", "abstinen*", "karenz*", "forward", "progression",
    "dfi", "fragmentation", "hos", "zinc", "citrate", "volume s", "testicular", "testes",
    "hoden*", "urine", "analysed", "analyzed", "counted",
    "assessed", "evaluated",
    "圆细胞*", "圓細胞*", "白细胞*", "白血球*", "液化*", "禁欲*", "存活率", "活率", "颜色",
    "粘稠度", "凝集*", "원형세포*", "백혈구*",
)  # fmt: skip


# A scanned name with digits for letters ("Vo1umen", "ESTRAD1OL"): read once more as letters.
_SCANNED_NAME = re.compile(r"[^\W\d_][015][^\W\d_]")
_AS_LETTERS = (str.maketrans("105", "los"), str.maketrans("105", "ios"))
_SPACED_LETTERS = re.compile(r"(?:[A-Za-z] ){1,4}[A-Za-z][0-9]?")


@functools.lru_cache(maxsize=4096)
def names_prepared_sample(text: str) -> bool:
    """Whether `text` names a sample prepared for insemination ("TEST DE CAPACITACIÓN (REM)",
    "Swim-up preparation"), whose figures are not the semen analysis."""
    return _has(normalise(text), *_PREPARED_SAMPLE)


def identify(name: str, semen_context: bool = True) -> str | None:
    """The analyte key the row name `name` reports, "other", or None when unknown."""
    found = _identify(name, semen_context)
    if found is None and _SPACED_LETTERS.fullmatch(name.strip()):
        found = _identify("".join(name.split()), semen_context)  # "L H", "F S H" (a scan)
    if found is None and _SCANNED_NAME.search(name):
        for letters in _AS_LETTERS:
            found = _identify(name.translate(letters), semen_context)
            if found is not None:
                break
    return found


def _identify(name: str, semen_context: bool) -> str | None:
    t = normalise(name)
    if not t.strip():
        return None
    if _has(t, "free androgen*", "androgen index", "% free", "fai") or (
        _has(t, "percent", "%", "pct") and _has(t, "free", "frei", "libre", "testost*")
    ):
        return "other"
    if _has(t, "t/e2", "t:e2", "t e2", "te2") or (_has(t, "ratio") and _has(t, "e2", "estradiol")):
        return "te2_ratio"
    if _has(t, "t/lh", "t lh", "tlh") or (_has(t, "ratio") and _has(t, "lh")):
        return "tlh_ratio"
    if _has(t, "body mass*", "korpermasse*"):
        return "bmi"  # "Body mass index": not one of the other tests' indices
    if _has(t, *_OTHER_TESTS):
        return "other"
    if _has(t, *_OTHER_SEMEN) or _has(t, *_PREPARED_SAMPLE):
        return "other"
    testosterone = ("testost*", "testo", "testovl", "tesztoszteron*", "τεστοστερον*", "tt", "t",
                    "cft", "ft", "bio t", "тестостерон*", "тестост*", "*睾酮", "*テストステロン",
                    "*테스토스테론")  # fmt: skip
    # "Calc Free Test": Australian reports shorten testosterone to "Test" (not alone: a
    # "Semen test" or "Test name" is no testosterone)
    free_test = _has(t, "test") and _has(t, "free")
    if (_has(t, *testosterone) or free_test) and not _has(t, "t4", "t3"):
        if _has(t, "weakly", "*weakly"):  # LOINC "Testosterone.free+weakly bound": bioavailable
            return "bioavailable_t"
        if _has(t, "free", "frei", "freies", "freie", "libre", "livre", "libero", "wolny", "vrij",
                "serbest", "fritt", "frit", "fri", "vapaa", "szabad", "volny", "volneho",
                "ελευθερ*", "testovl", "ft", "cft", "fti", "свободн*", "вільн*", "游离*",
                "遊離*", "フリー*", "유리*"):  # fmt: skip
            return "free_t"
        if _has(t, "bio*", "bioverfugbar*", "biobeschikbaar*", "биодоступ*", "біодоступ*"):
            return "bioavailable_t"
        return "total_t"
    if _has(t, "estrad*", "oestrad*", "ostrad*", "estrodiol", "estradoil", "estradial", "e2",
            "oestr", "oestr*", "estrogen*", "oestrogen*", "ostrogen*", "estrogene*",
            "osztradiol*", "οιστραδιολ*", "эстрадиол*", "естрадіол*", "естрадиол*", "эстроген*",
            "естроген*", "雌二醇", "エストラジオール", "에스트라디올"):  # fmt: skip
        return "e2"
    if _has(
        t,
        "lh",
        "luteini*",
        "lutein*",
        "lutropin*",
        "ωχρινοτροπ*",
        "лг",
        "лютеин*",
        "лютеін*",
        "*黄体生成素",
        "*黄体生成激素",
        "促黄体素",
        "*黄体形成ホルモン",
        "황체형성호르몬",
    ):
        return "lh"
    if _has(t, "fsh", "follic*", "follik*", "folikul*", "foliculo*", "follitropin*",
            "ωοθυλακιοτροπ*", "фсг", "фолликул*", "фолікул*", "*卵泡生成素", "*卵泡刺激素",
            "促卵泡激素", "卵胞刺激ホルモン", "난포자극호르몬"):  # fmt: skip
        return "fsh"
    if _has(t, "shbg", "sex horm*", "sexualhormon*", "konshormon*", "kjonnshormon*", "sexhormon*",
            "geslachtshormoon*", "гспг", "гзсг", "связывающ*", "зв язуюч*", "性激素结合球蛋白",
            "性ホルモン結合グロブリン"):  # fmt: skip
        return "shbg"
    if _has(t, "bmi", "imc", "body mass*", "korpermasse*", "имт", "імт"):
        return "bmi"
    if _has(
        t,
        "weight",
        "gewicht",
        "poids",
        "peso",
        "wt",
        "waga",
        "kilo",
        "вес",
        "вага",
        "масса",
        "体重",
        "체중",
    ):
        return "weight"
    if _has(t, "height", "grosse", "groesse", "korpergrosse", "taille", "talla", "estatura", "ht",
            "altura", "altezza", "lengte", "wzrost", "boy", "рост", "зріст", "зрiст", "身高",
            "身長", "신장"):  # fmt: skip
        return "height"
    return _semen_analyte(t, name.lower()) if semen_context else None


_GREEK_GRADE = {"a": "α", "b": "β", "c": "γ", "d": "δ"}


def _grade(raw: str, letter: str) -> bool:
    """A WHO grade letter written as such: "(d)", "grade d", "d:" - not the "d" of "d'AMP";
    Greek reports write the same grades α, β, γ, δ ("Προωθητική ταχεία (α)")."""
    letter = f"[{letter}{_GREEK_GRADE[letter]}]"
    pattern = (
        rf"\(\s*{letter}\s*\)|(?:grade|type|typ|tipo|tipus|categor\w*|klasse|klass)\s*"
        rf"{letter}(?![^\W\d_])|^\s*{letter}\s*[:=)]|"
        # after the word for motility: "Motilité a (rapide)", "Mobilità b"
        rf"\b(?:motilit|mobilit|motility|movilidad|motilidade)\w*\s+{letter}(?![^\W\d_]|\s*[+/&])"
    )
    return re.search(pattern, raw) is not None


# A WHO grade letter leading a row name: "a: 12 %", "(b)", "C  niet-progressief", "d Immotile".
_GRADE_LEAD = re.compile(r"\s*\(?([abcd])(?:\s*[:=().级級급–-]|\s+(?=[^\W\d_])|\s*$)")
_GRADE_WORDS = frozenset({"motility_total", "motility_progressive", "motility_nonprogressive",
                          "motility_immotile", None})  # fmt: skip


def _semen_analyte(t: str, raw: str) -> str | None:
    if _has(t, "conc*", "concentrat*", "density", "konzentrat*") and _has(
        t, "motil*", "progress*", "mobil*", "beweglich*"
    ):
        return "other"  # "Motile sperm concentration", "Progressive sperm conc.": a subset
    if _has(t, "motile count", "motile sperm", "tmc", "tmsc", "mot count") or (
        _has(t, "motile") and _has(t, "count", "number", "anzahl")
    ):
        return "tpmc_reported" if _has(t, "progress*", "tpmc") else "tmc_reported"
    for grade, cyrillic in zip("abcd", "авсд", strict=True):  # Russian "категория A" (or "А")
        category = (f"категория {grade}", f"категория {cyrillic}", f"категорія {grade}",
                    f"категорія {cyrillic}")  # fmt: skip
        if _has(t, f"grade {grade}", f"grad {grade}", *category) or (
            grade in "ab" and _grade(raw, grade)
        ):
            return f"grade_{grade}"  # "Grade a", "Ταχεία προωθητική (a)"
    lead = _GRADE_LEAD.match(raw)
    if lead is not None:
        rest = raw[lead.end() :]
        if not rest.strip() or _semen_analyte(normalise(rest), rest) in _GRADE_WORDS:
            return f"grade_{lead.group(1)}"  # the letter, not the words, says which grade
    if _has(t, "a rapid*", "rapid progressive", "fast progressive"):
        return "grade_a"
    if _has(t, "b slow*", "slow progressive"):
        return "grade_b"
    motility = ("motil*", "mot", "mobil*", "motilidad", "beweglich*", "ruch*", "beweeglijk*",
                "κινητικοτητ*", "hareketli*", "liikkuv*", "rorlig*", "bevegelig*", "подвижн*",
                "рухлив*")  # fmt: skip
    total_words = ("total", "totalt", "gesamt*", "totale", "calkowit*", "celkov*", "totaal",
                   "συνολικ*", "общ*", "загальн*")  # fmt: skip
    if _has(
        t, "总活力", "總活力", "精子活力", "活动率", "運動率", "総運動率", "운동성", "총운동성"
    ):
        return "motility_total"  # Chinese "精子活力 (PR+NP)", Japanese "運動率"
    if (
        (_has(t, *motility) and _has(t, *total_words))
        or _has(t, "gesamtmotil*", "pr+np", "a+b+c")
        or (_has(t, "pr") and _has(t, "np"))
    ):
        return "motility_total"
    immotile = ("immotil*", "immobil*", "inmovil*", "imoveis", "imovel", "im", "non motil*",
                "nicht motil*", "nieruchom*", "niet beweeglijk*", "immobili", "nepohybliv*",
                "ακινητ*", "hareketsiz", "liikkumattom*", "ororlig*", "ubevegelig*", "неподвижн*",
                "нерухом*")  # fmt: skip
    if _has(t, *motility) and not _has(t, *immotile):
        if _has(t, "sluggish*"):
            return "motile_sluggish"  # Indian sheets: "Sluggishly motile" (see pipeline.py)
        if _has(t, "activ*"):
            return "motile_active"  # "Actively motile"
    if _has(t, *immotile) or _grade(raw, "d"):
        return "motility_immotile"
    if _has(t, "non progress*", "nonprogress*", "non prog", "nonprog", "nicht progress*",
            "no progresiv*", "np",
            "nao progress*", "niepostep*", "niet progressief", "non progressiv*", "neprogres*",
            "ikke progress*", "icke progress*", "μη προωθητικ*", "yerinde", "непрогрессивн*",
            "непрогресивн*", "非前向运动*", "非前向運動*", "非前進運動*", "비전진*") or _grade(
        raw, "c"
    ):  # fmt: skip
        return "motility_nonprogressive"
    if _has(t, "progress*", "progresiv*", "pr", "prog", "a+b", "postep*", "progressief",
            "προωθητικ*", "ileri", "прогрессивн*", "прогресивн*", "前向运动*", "前向運動*",
            "前进运动*", "前進運動*", "전진운동*"):  # fmt: skip
        return "motility_progressive"
    if _has(t, *motility):
        return "motility_total"
    if _has(t, "morpholog*", "normal form*", "normalform*", "formes typiques", "typical form*",
            "formas normales", "formas normais", "forme normali", "forme tipiche", "normale vormen",
            "normal geformt*", "normalgeformt*",
            "morfolog*", "kruger", "strict", "prawidlow*", "μορφολογ*", "morph", "морфолог*",
            "正常形态*", "正常形態*", "정상형태*", "spermocytogram*", "spermiocytogram*") or (
        _has(t, "нормальн*") and _has(t, "форм*")
    ):  # fmt: skip
        return "morphology"
    if _has(t, "total sperm*", "total count", "total number", "gesamtspermi*", "gesamtzahl",
            "numeration totale", "recuento total", "total spermatozoa", "spermien gesamt",
            "nombre total", "sperm number", "numero total", "calkowita liczba", "totaal aantal",
            "numero totale", "toplam", "total", "totalt", "celkov*", "συνολικ*",
            "kokonais*", "общ*", "загальн*", "精子总数", "精子總數", "総精子数",
            "총정자수"):  # fmt: skip
        return "total_count"
    if _has(t, "concentrat*", "concentraz*", "konzentrat*", "concentracion", "concentracao",
            "spermienkonz*",
            "density", "dichte", "spermiendichte", "concentratie", "konsantrasyon",
            "koncentrat*", "koncentrac*", "konsentra*", "συγκεντρωσ*", "conc", "*koncentration",
            "*konzentration", "*concentratie", "концентрац*", "精子浓度", "精子濃度", "精子密度",
            "정자농도"):  # fmt: skip
        return "concentration"
    # before the count words: "Spermiyogram - Volüm" names the analysis, then its volume
    if _has(t, "volume", "volumen", "ejakulatvolumen", "vol", "objetosc", "volumetrico",
            "hacim", "objem", "ογκ*", "*volumen", "volym", "volum", "tilavuus", "объем*",
            "обсяг*", "об ем*", "精液量", "精液体积", "精液容量", "정액량", "quantity",
            "qty"):  # fmt: skip
        return "semen_volume"
    if _has(t, "numeration", "sperm count", "count", "recuento", "sperm*", "spermien*",
            "liczba", "plemnik*", "aantal", "antal", "pocet", "sayi*", "αριθμ*", "количеств*",
            "кількіст*", "сперматозо*"):  # fmt: skip
        return "sperm_count"
    return None


def pair_names(name: str) -> tuple[str, str] | None:
    """The two analytes of a slash-pair name ("FSH/LH", "LH/FSH:", "T/E2"), else None."""
    m = _SLASH_PAIR.match(name.lower())
    if m is None or _RATIO_WORD.match(name.lower(), m.end()):
        return None  # "T/E2 ratio": one figure, the ratio, not two results
    first, second = PAIR_ANALYTE[m.group(1)], PAIR_ANALYTE[m.group(2)]
    # "ESTRADIOL / E2": one test under two names, not a pair of results
    return None if first == second else (first, second)
