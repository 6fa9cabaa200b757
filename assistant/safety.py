"""Which fixed safety lines a message needs: emergency care, a crisis line, poison control for a
swallowed medicine, "decide this with your clinician" for personal dose or start/stop questions.

Two signals, either is enough for a line to fire:
  * rules: phrase patterns in English, Spanish, German and French (`RULES`), matched on the
    message folded to lower case without accents, anywhere in it;
  * exemplars: the message, each of its sentences and overlapping windows of words are
    compared by embedding similarity with a bank of labelled examples (corpus/safety_bank.json,
    written from triage categories, with look-alike negatives such as "the stop signal to the
    brain"); a class fires when the mean similarity of its three closest exemplars reaches the
    class's floor and beats the three closest negatives by the class's margin (`EXEMPLAR_RULES`,
    chosen by leave-one-out on the bank itself: scripts/calibrate_safety.py); a vote for an
    urgent class is set aside when the message's words belong to ordinary questions (word odds,
    `word_odds`).
A message in Spanish, German, French, Italian, Portuguese or Dutch is also read through its
word-by-word English gloss (gloss.py) by both signals, the English rules and the vote.

Nothing here answers the question; `answer.py` puts the lines first. The lines are fixed,
grammatical sentences that never echo the user's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gloss import Glossary
from .language import detect, fold
from .scope_words import WordOdds, counts
from .text import clean
from .warning_signs import kinds_present, warning_pattern

if TYPE_CHECKING:
    import numpy as np

CLASSES = ("emergency", "self_harm", "exposure", "dose")

LINES = {
    "emergency": (
        "If this is happening now, get medical help now: call your local emergency number "
        "(911 in the US, 112 in Europe, 999 in the UK) or go to an emergency department."
    ),
    "self_harm": (
        "If you are thinking about ending your life or harming yourself, please reach out now: "
        "in the US call or text 988; in the UK or Ireland call Samaritans on 116 123; elsewhere "
        "find a local line at findahelpline.com. If you are in immediate danger, call your local "
        "emergency number."
    ),
    "exposure": (
        "If someone has swallowed a medicine not prescribed for them, or more than prescribed "
        "(a child, a pregnant person, anyone), call a poison control centre now (in the US "
        "1-800-222-1222) or your local emergency number, and keep the packet at hand; call "
        "emergency services at once if they are drowsy, struggling to breathe or unconscious."
    ),
    "dose": (
        "The article gives no personal dose and cannot tell you whether to start, change or stop "
        "a medicine; decide this with your clinician. What the article reports in general:"
    ),
}
# The same lines for people writing in the other languages the rules know.
LOCAL_LINES = {
    "es": {
        "emergency": "Si esto está ocurriendo ahora, busque ayuda médica urgente: llame al 112 "
        "(en Europa) o al número de emergencias de su país.",
        "self_harm": "Si piensa en quitarse la vida o hacerse daño, pida ayuda ahora: en España "
        "llame al 024; en otros países, busque una línea en findahelpline.com o llame a "
        "emergencias.",
        "exposure": "Si alguien ha tragado un medicamento que no es suyo, o más de la dosis, "
        "llame ahora a un centro de toxicología o a emergencias (112).",
        "dose": "La decisión sobre la dosis, empezar o dejar un medicamento debe tomarla con su "
        "médico.",
    },
    "de": {
        "emergency": "Wenn das gerade passiert, holen Sie sofort ärztliche Hilfe: rufen Sie 112 "
        "an oder gehen Sie in eine Notaufnahme.",
        "self_harm": "Wenn Sie daran denken, sich das Leben zu nehmen oder sich zu verletzen, "
        "holen Sie sich jetzt Hilfe: TelefonSeelsorge 0800 111 0 111 (Deutschland), andere "
        "Länder unter findahelpline.com, in akuter Gefahr 112.",
        "exposure": "Wenn jemand ein Medikament geschluckt hat, das nicht für ihn bestimmt ist, "
        "oder zu viel davon, rufen Sie jetzt den Giftnotruf oder 112 an.",
        "dose": "Über Dosis, Beginn oder Absetzen eines Medikaments entscheiden Sie bitte mit "
        "Ihrer Ärztin oder Ihrem Arzt.",
    },
    "fr": {
        "emergency": "Si cela se produit maintenant, appelez les secours sans attendre : le 15 "
        "ou le 112, ou rendez-vous aux urgences.",
        "self_harm": "Si vous pensez à mettre fin à vos jours ou à vous faire du mal, demandez "
        "de l'aide maintenant : en France appelez le 3114 ; ailleurs, voyez findahelpline.com ; "
        "en cas de danger immédiat, appelez le 112.",
        "exposure": "Si quelqu'un a avalé un médicament qui ne lui est pas destiné, ou trop, "
        "appelez maintenant un centre antipoison ou le 112.",
        "dose": "La dose, le début ou l'arrêt d'un médicament se décident avec votre médecin.",
    },
    "it": {
        "emergency": "Se sta succedendo adesso, chieda subito aiuto medico: chiami il 112 (o il "
        "118) o vada al pronto soccorso.",
        "self_harm": "Se pensa di togliersi la vita o di farsi del male, chieda aiuto adesso: "
        "trovi una linea di ascolto su findahelpline.com; in pericolo immediato chiami il 112.",
        "exposure": "Se qualcuno ha ingerito un farmaco non suo, o più del prescritto, chiami "
        "subito un centro antiveleni o il 112.",
        "dose": "La dose, l'inizio o la sospensione di un farmaco si decidono con il proprio "
        "medico.",
    },
    "pt": {
        "emergency": "Se isto está a acontecer agora, procure ajuda médica urgente: ligue 112 "
        "(Europa) ou 192 (Brasil), ou vá a uma urgência.",
        "self_harm": "Se pensa em tirar a própria vida ou em fazer-se mal, peça ajuda agora: no "
        "Brasil ligue 188 (CVV); noutros países veja findahelpline.com; em perigo imediato, "
        "ligue para o número de emergência.",
        "exposure": "Se alguém engoliu um medicamento que não é seu, ou demasiado, ligue já para "
        "um centro antivenenos ou para o número de emergência (112, ou 192 no Brasil).",
        "dose": "A dose, o início ou a suspensão de um medicamento decidem-se com o seu médico.",
    },
    "nl": {
        "emergency": "Gebeurt dit nu, zoek dan meteen medische hulp: bel 112 of ga naar de "
        "spoedeisende hulp.",
        "self_harm": "Denk je eraan een einde aan je leven te maken of jezelf iets aan te doen, "
        "zoek dan nu hulp: bel 113 of 0800-0113 (Nederland) of 1813 (België); elders "
        "findahelpline.com; bij direct gevaar 112.",
        "exposure": "Heeft iemand een medicijn ingeslikt dat niet voor hem bedoeld is, of te "
        "veel, bel dan nu je huisarts of de huisartsenpost, of 112.",
        "dose": "Over de dosis, beginnen of stoppen met een medicijn beslis je met je arts.",
    },
}
ENGLISH_ONLY = {
    "es": "Solo puedo responder en inglés, a partir de un artículo en inglés. (I answer in "
    "English only, from one English article.)",
    "de": "Ich kann nur auf Englisch antworten, aus einem englischen Artikel. (I answer in "
    "English only, from one English article.)",
    "fr": "Je ne peux répondre qu'en anglais, à partir d'un article en anglais. (I answer in "
    "English only, from one English article.)",
    "it": "Posso rispondere solo in inglese, a partire da un articolo in inglese. (I answer in "
    "English only, from one English article.)",
    "pt": "Só posso responder em inglês, a partir de um artigo em inglês. (I answer in English "
    "only, from one English article.)",
    "nl": "Ik kan alleen in het Engels antwoorden, op basis van één Engels artikel. (I answer in "
    "English only, from one English article.)",
}

# -- rules -------------------------------------------------------------------------------------
# Matched on fold(text): lower case, no accents. Broad on purpose: a line shown once too often
# costs a sentence; one missed can cost far more.

_EN_EMERGENCY = (
    r"chest (?:pain|pains|tightness|hurts?|pressure|is (?:tight|heavy|hurting))|pain in (?:my|the) "
    r"chest|(?:tight|heavy|crushing|squeezing|burning) (?:feeling in (?:my |the )?)?chest|"
    r"ch[ea]st (?:feels|is) (?:tight|heavy|crushed|on fire)|heart attack|cardiac arrest|"
    # a weight on the chest, a pain spreading to the left arm or the jaw (to the arm, neck or
    # shoulder when the chest is named), a cold sweat with the chest or breath
    r"(?:weight|pressure|heaviness|elephant|squeez\w*) (?:\w+ ){0,2}(?:on|in) "
    r"(?:my |his |her |the )?chest|"
    r"(?:pain|ache|pressure|weight|heaviness|tightness)\b.{0,30}\b(?:spread\w*|radiat\w*|"
    r"shoot\w*|going|moving|travel\w*) (?:down |up )?(?:to |into )?(?:my |his |her |the )?(?:left "
    r"arm|arm left|jaw)\b|chest\b.{0,60}\b(?:spread\w*|radiat\w*|going|moving|travel\w*) (?:down "
    r"|up )?(?:to |into )?(?:my |his |her |the )?(?:(?:left|right) )?(?:arm|neck|shoulder|jaw)\b|"
    r"(?:cold sweat|sweating cold)\b.{0,80}\b(?:chest|breath\w*|faint\w*|heart)|(?:chest|breath\w*|"
    r"heart)\b.{0,80}\b(?:cold sweat|sweating cold)|"
    r"hurts? (?:me )?(?:(?:really|so|badly|very|a lot) ){0,2}(?:in )?(?:my|the) chest|"
    r"can'?t (?:breathe?|breath)|cannot breathe?|(?:trouble|difficulty|struggling to|hard to|"
    r"problems?) breath\w*|short(?:ness)? of breath|gasping|"
    r"vision loss|(?:lost|losing|loss of) (?:my )?(?:vision|sight)|can'?t see|went blind|"
    r"sudden(?:ly)? blind\w*|blind in|"
    # a blistering, peeling rash (a severe drug reaction)
    r"(?:rash|skin)\b.{0,40}\b(?:blister\w*|peel\w*|coming off|falling off)|blister\w*\b.{0,40}"
    r"\b(?:all over|everywhere|mouth|eyes|lips|skin (?:is )?(?:peel\w*|coming off))|"
    r"(?:mouth|lip|smile) (?:is |looks |went )?(?:droop\w*|lopsided|crooked|slack)|"
    r"droopy (?:mouth|face|side|lip)|words (?:are )?(?:coming out|come out) (?:wrong|funny|"
    r"jumbled)|(?:talking|speaking|speech) (?:funny|weird|strange|jumbled|garbled)|"
    r"(?:eye|vision) (?:went|going|gone|is going) (?:dark|black|"
    r"blurry|grey|gray)|curtain (?:over|across|coming down)|stroke|face (?:is )?droop\w*|"
    r"slurred speech|numb(?:ness)? on one side|half (?:of )?(?:my |his |her |the )?face\b.{0,25}"
    r"\b(?:numb|droop\w*|dead|frozen|paralys\w*)|can'?t (?:lift|raise|move) (?:my|his|her|the) "
    r"(?:right |left )?(?:arm|leg|hand)|(?:arm|leg|side) (?:is |went )?(?:weak|numb) "
    r"(?:and|on one side)|passed out|pass(?:ing)? out|blacked out|faint(?:ed|ing)|collapsed|"
    r"unconscious|unresponsive|seizure|convuls\w*|fitting|slurr\w*|"
    r"(?:won'?t|can'?t|cannot|doesn'?t|does not|isn'?t) (?:wake|waking)|hard to wake|"
    r"(?:he|she|they|him|her|baby|son|daughter|husband|partner|boyfriend|kid|child|brother|"
    r"friend|dad)(?: is| was|'s)? (?:not|isn'?t|wasn'?t|won'?t|doesn'?t) (?:waking|responding|"
    r"respond|answering)|(?:very|really|so|too|extremely) (?:drowsy|floppy)|"
    r"floppy|breathing (?:funny|strange\w*|weird\w*|odd\w*|slow\w*|shallow\w*)|"
    r"(?:lips?|face) (?:turning|went|going|is|are) blue|turning blue|"
    r"severe (?:pain|headache|bleeding|stomach pain)|worst headache|thunderclap|"
    r"(?:bleeding|blood)\b.{0,20}\b(?:won'?t|will not|doesn'?t|does not|can'?t|cannot|not) "
    r"stop\w*|soaked (?:through )?(?:\d+|two|three|several) (?:towels|pads|bandages)|"
    r"coughing (?:up )?blood|vomiting blood|"
    r"swollen (?:leg|calf|face|lips?|tongue|throat)|(?:leg|calf) (?:is )?(?:swollen|red and hot)|"
    r"blood clot|dvt|anaphyla\w*|allergic reaction|"
    r"(?:throat|tongue|lips?|face) (?:is |are )?(?:closing|swelling|swollen|puff\w*)|"
    r"can'?t swallow|hives (?:and|with) (?:trouble|difficulty|wheez)|wheez\w*|"
    r"yellow (?:skin|eyes)|jaundice|heart (?:is )?(?:racing|pounding) (?:and|with)|"
    r"erection\b.{0,40}\b(?:\d+ hours|hours|won'?t go (?:down|away)|will not go down)|priapism|"
    r"stiff neck|(?:rash|spots)\b.{0,50}\b(?:(?:don'?t|doesn'?t|do not|won'?t) fade|glass)|"
    r"\b(?:1[89]\d|2\d\d) ?/ ?(?:1[1-9]\d|2\d\d)\b|(?:pulse|heart ?rate|hr)\b.{0,15}\b"
    r"(?:[1-3]\d|4[0-4])\b(?! ?(?:years|yrs|mg|nmol|pg|ng|pmol|%))|(?:crushing|excruciating|"
    r"explosive) headache|"
    r"(?:very|really) (?:confused|disoriented)|call(?:ed|ing)? (?:911|999|112|an ambulance)|"
    r"heart (?:rate )?(?:is |was )?(?:going|racing|pounding|at)\b.{0,12}\b(?:1[5-9]\d|2\d\d)\b|"
    r"(?:is|he'?s|she'?s|i'?m|hes|shes) not making (?:any )?sense|"
    # acute confusion: not knowing the year, the place or the people
    r"(?:doesn'?t|does not|didn'?t|did not|don'?t|can'?t|not) (?:know|knowing|tell|telling|"
    r"remember|remembering) (?:what (?:year|day|month) it is|where (?:he|she|i|they) (?:is|am|"
    r"are|was)|who (?:i|he|she|we) (?:am|is|are))|(?:doesn'?t|does not|didn'?t|not) "
    r"recogni[sz]\w* (?:me|us|his|her|anyone)|"
    r"disorient\w*|(?:suddenly|tonight|today) (?:very |really |so )?confused|"
    # sudden severe testicular pain (torsion)
    r"(?:testicle|testis|testes|scrotum|(?:left|right|one) (?:ball|nut))s?\b.{0,50}\b(?:agony|"
    r"agoni\w*|excruciating|unbearable|severe|worst|sudden\w*|out of nowhere|came on|"
    # a swelling that comes and goes is no torsion: "a swelling feeling sometimes"
    r"(?:swoll\w*|swelling)(?![^.?!\n]{0,30}\b(?:sometimes|on and off|now and then|comes and goes|"
    r"occasionally|from time to time|for (?:weeks|months|years))\b)|grapefruit|huge)|(?:sudden|"
    r"severe|excruciating|agoni\w*|unbearable) (?:pain )?in (?:my |his |the )?(?:left |right )?"
    r"(?:testicle|testis|scrotum|ball)"
)
_FAREWELL_LETTERS = (
    r"(?:left|leaving|written|wrote|writing) (?:a |some |the |two |three )?(?:letters?|notes?|"
    r"messages?) (?:for|to) (?:my |the )?(?:wife|husband|partner|family|kids|children|parents|"
    r"mum|mom|dad|son|daughter|girlfriend|boyfriend|everyone|them|brother|sister)"
)
_DESPAIR = (
    r"can'?t (?:take|do) (?:it|this|any ?more)|can'?t go on|(?:doesn'?t|does not|won'?t) matter "
    r"(?:anyway|any ?more|now)|no point|pointless|given up|give up|tired of (?:it all|everything|"
    r"living|fighting)|what'?s the point|whats the point"
)
_EN_SELF_HARM = (
    r"suicid\w*|kill(?:ing)? myself|kms\b|unalive|(?:end|ending|take|taking) my (?:own )?life|"
    r"end it all|end things|self[- ]harm|hurt(?:ing)? myself|cut(?:ting)? myself|want to die|"
    r"wish i (?:was|were) dead|better off (?:dead|without me)|(?:don'?t|do not|dont) want to "
    r"(?:live|be here|wake up|exist|be alive|be around)|wish i (?:didn'?t exist|was never born|"
    r"could (?:just )?disappear)|no (?:reason|point) (?:to|in) (?:go(?:ing)? on|liv\w*)|"
    r"can'?t go on|not worth living|disappear (?:for good|forever)|saving (?:up )?(?:my )?pills|"
    r"goodbye (?:letter|note)s?|life insurance .*(?:wife|family)|"
    r"overdos\w*.{0,40}on purpose|on purpose.{0,30}(?:overdos\w*|took (?:all|the whole))|"
    r"\bkys\b|(?:ways|how) to (?:die|end it|kill (?:my|him|her)sel[fv]|not wake up)|"
    r"(?:took|swallowed|taken|ate|downed|swallow)\b.{0,60}\b(?:on purpose|deliberately|"
    r"intentionally)|(?:on purpose|deliberately|intentionally)\b.{0,40}\b(?:took|swallowed|"
    r"overdos\w*)|(?:didn'?t|did not|don'?t|do not) want to be (?:here|alive|around)|"
    r"(?:feel like|thinking (?:about|of)|think about|want to) ending it\b|end my life|"
    r"(?:talk\w*|joke\w*|jokes|joking|going on|mention\w*) about ['\"]?ending (?:it|things|"
    r"(?:his|her|my) life)\b|"
    r"(?:worked|figured) (?:it )?out how (?:he|she|i|they)'?d do it|got it (?:all )?worked out|"
    r"(?:don'?t|do not|can'?t|cannot) see (?:the|any) point (?:in|of) (?:being alive|living|"
    r"going on|"
    r"life|staying alive)|no point (?:in )?being alive|"
    r"(?:make|look) (?:it|an overdose|a death|my death|his death) (?:look )?(?:natural|like an "
    r"accident)|(?:going to|gonna|will|i'?ll|wants? to|planning to|plans? to|threaten\w* to) "
    r"(?:just |probably |finally )?end it\b|(?:wants?|wanted|wanting) to die|"
    r"end (?:his|her|their) (?:own )?life|(?:hurt|harm)(?:ing)? (?:my|him|her|them)sel(?:f|ves)|"
    r"not (?:planning on|going to|gonna|expecting to) be(?:ing)? (?:around|here|alive) "
    r"(?:much |for )?(?:longer|long)|"
    r"(?:won'?t|will not|not (?:planning on|planning to|going to|gonna|expecting to)) be "
    r"(?:around|here|alive) (?:for )?(?:the |my )?(?:long enough|by|next|follow[- ]?up|results?|"
    r"appointment|retest|recheck|re-?test|check-?up|scan|review)|"
    # letters left for the family, in a message of despair: "left letters for my wife and
    # parents ... it doesn't matter anyway"
    rf"(?:{_FAREWELL_LETTERS})\b.{{0,200}}\b(?:{_DESPAIR})|(?:{_DESPAIR})\b.{{0,200}}\b"
    rf"(?:{_FAREWELL_LETTERS})|"
    r"body (?:gives|give) up|"
    r"(?:won'?t|will not|wouldn'?t) be a (?:problem|burden|bother|worry) (?:for|to) (?:anyone|"
    r"anybody|everyone|you|them|her)(?: for)?(?: much)? (?:longer|long|anymore|soon)|"
    # exhaust fumes in a closed garage: "in the car in the garage with the engine going"
    r"\bgarage\b.{0,40}\bengine (?:running|going|on)\b|\bengine (?:running|going|on)\b.{0,40}"
    r"\b(?:garage|door(?:s)? (?:shut|closed))\b|"
    # no use for things where he is going: "won't be needing them where I'm headed"
    r"(?:won'?t|wont|will not|don'?t|dont|not) (?:be )?need(?:ing)? (?:them|it|those|these|this|"
    r"that|any(?: of)? (?:it|them|\w+)|my \w+) where (?:i'?m|im|i am|i'?ll be) (?:going|headed|"
    r"heading|off to)\b|"
    r"(?:out of|no more|running out of|run out of) reasons? to (?:keep going|go on|live|carry "
    r"on|stay)|"
    r"starv\w* myself|(?:if|what if) (?:someone|i|a person|somebody) took (?:like |about |around )?"
    r"(?:\d+|a whole|all|the whole|my whole|my entire|the entire|all (?:of )?my)|"
    # an amount asked for an end: "how many would I have to swallow for it all to be over?"
    r"how (?:many|much)\b.{0,40}\b(?:take|swallow|down|pop)\b.{0,40}\b(?:(?:it|this|everything|"
    r"it all) (?:to )?(?:just )?be over|not wake|never wake|end it|die)\b|"
    r"(?:whole|entire) (?:bottle|box|pack|packet|strip|supply|prescription)\b.{0,40}\b(?:kill|die|"
    r"dead|lethal|fatal)|how many (?:\w+ ){0,3}(?:would it take|does it take|to die|to "
    r"kill|to not wake)|(?:deadly|lethal|fatal) (?:together|combination|dose|amount)|"
    r"(?:set|put|got|sorted) (?:everything|my affairs|things) (?:up|in order)|"
    r"(?:got|have|had) (?:everything|it all) (?:set up|ready|sorted|planned) for (?:tonight|"
    r"tomorrow|today)|"
    r"(?:just|only|such) a burden|goodbye (?:everyone|all|to all)|farewell (?:everyone|all)|"
    # the burden statement: "you'd be free / better off if I was gone"
    r"(?:you'?d|you would|you'?ll|you will|everyone would|everyone'?d|they'?d|she'?d|we'?d) "
    r"(?:all )?be "
    r"(?:free|better off|happier|fine|okay|ok)\b.{0,25}\b(?:if|once|when|without) (?:i|me|he|"
    r"him)\b.{0,15}\b(?:was|were|am|is|'?m|'?s)? ?(?:gone|dead|not here|not around|no longer)|"
    r"(?:better off|free) without (?:me|him)\b|"
    r"(?:stockpil|hoard)\w*|(?:saving|collecting|keeping) (?:up )?(?:a (?:stash|supply) of )?"
    r"(?:my |his |her )?(?:\w+'s )?(?:sleeping |pain ?)?(?:pills|tablets|meds|painkillers|oxy\w*)"
    r"\b.{0,30}\b(?:in case|for when|just in case)|"
    r"hoping (?:not to|i (?:don'?t|won'?t)|to never|i never) wake|never wak\w* up|"
    r"(?:driv\w*|steer\w*|crash\w*|swerv\w*|yank\w*|jerk\w*|pull\w*|turn\w*) (?:my |the |his )?"
    r"(?:car |truck |wheel )?into "
    r"(?:a |the |an )?(?:\w+ )?(?:tree|wall|bridge|pillar|barrier|truck|lorry|river|lake|oncoming|"
    r"divider|median|guard ?rail|pole|ditch|cliff|traffic|bus|train)|"
    # a weapon at hand, handled again and again
    r"(?:gun|pistol|revolver|rifle|shotgun|firearm)\b.{0,80}\b(?:tak\w* it out|hold\w* it|"
    r"look\w* at it|load(?:ed|ing)? it|to my head|in my mouth|keep (?:thinking|holding|"
    r"looking|taking))|"
    r"jump\w* (?:off|from|in front of|under)|(?:in front of|under) (?:a |the )?"
    r"(?:train|bus|truck)|(?:i'?m|he'?s|i am|he is) (?:done|finished)\W+"
    r"(?:not (?:just )?with \w+\W+)?with (?:everything|it all|all of it|life|living)|"
    r"(?:i'?m|he'?s|i am|he is) (?:out|gone|checking out)\W+for good|"
    r"(?:wrote|written|writing|prepared|left|reads like) (?:a |an |some |the )?(?:will|goodbye|"
    r"farewell|suicide note|letters? (?:to|for) (?:my|his|her|the) (?:family|wife|kids|parents|"
    r"husband|children))|"
    r"have to (?:deal with|face|live with) (?:it|this|anything|another \w+) (?:anymore|any more|"
    r"ever again)|until (?:they|it|i|he) bled|(?:burn\w*|hit\w*|punch\w*|cut\w*|scratch\w*) "
    r"(?:myself|himself)|"
    # a relapse into cutting, or its wounds: "started cutting again", "my cuts aren't deep"
    r"(?:started|been|am|i'?m|back to|keep) cutting again\b(?! (?:on |down |back |out )?(?:on )?"
    r"(?:carbs|calories|weight|sugar|alcohol|booze|caffeine|coffee|meat|dairy|gluten|the))|"
    r"\bmy cuts? (?:are|is|were|was|aren'?t|isn'?t|weren'?t|wasn'?t)(?: not)? (?:too |that |very )?"
    r"deep\b|giv\w* away (?:his|my|her|all (?:his|my)|most of (?:his|my))|"
    r"gave away (?:his|my|her|all (?:his|my))|(?:sorted|sort(?:ing)?) (?:out )?everything (?:out )?"
    r"in case|(?:won't|will not) be (?:around|here) (?:much longer|for long|to see)|"
    r"(?:won'?t|will not|wont) be (?:a |anyone'?s |your |their )?(?:problem|burden|bother|worry)"
    r" (?:for )?(?:much |very )?long(?:er)?|"
    r"(?:i'?m|im|i am|gonna|going to|i'?ll|i will) end(?:ing)? it\b.{0,60}\b(?:already|know how|"
    r"plan|tonight|for good)|"
    r"(?:saving|keeping|collecting|hoarding|putting aside) (?:up )?(?:my |his |her |the )?\w+ "
    r"instead of taking|(?:would|will|is) it be (?:quick|painless|peaceful)|"
    r"(?:how long|how quick\w*|how fast) (?:does it|would it|will it|until you) (?:take to )?die|"
    r"life insurance\b.{0,60}\b(?:overdose|suicide|if i (?:die|kill))|"
    r"(?:if i|i could|i'?ll|i might|i want to|gonna|going to) (?:just )?(?:take|swallow|down) "
    r"(?:all|the whole|every one)\b"
)
# what a child took or got into when it is plainly not the tablets: "took my phone", "got into the
# car" (the tablets, a dose, "one", "some" or no object at all still count)
_NOT_A_MEDICINE = (
    r"(?! (?:my|his|her|the|a|an|our|your|their) (?!(?:\w+ )?(?:pills?|tablets?|tabs?|meds?|"
    r"medicines?|medications?|anastrozole|arimidex|adex|doses?|bottles?|packs?|packets?|blisters?|"
    r"strips?|box|boxes|ones?|some|few|handful|couple|bunch|lot|whole|rest|last)\b)\w)"
)
_CHILD = (
    r"(?:child|kid|toddler|baby|infant|son|daughter|grandson|granddaughter|grandkid|nephew|niece|"
    r"boy|girl|[0-9]+ ?(?:year|yr|y)s?[- ]?old|[0-9]+ ?y/?o|he'?s [1-9]|she'?s [1-9])"
)
# "1 maybe 2 are gone": tablets counted short
_COUNTED_SHORT = (
    r"(?:[0-9]+|one|two|three|a couple|a few|some)(?: (?:or|maybe|possibly) (?:[0-9]+|one|two|"
    r"three))? (?:are|is|were|was) (?:gone|missing)"
)
# Someone other than the writer, by relation ("my mother-in-law", "his little brother"), for the
# rules on tablets given to or taken by another person and on reports of others' treatment (a
# partner is added where the rule means one: "my husband takes it" is often about the patient).
_RELATIVE = (
    r"(?:brother|sister|bro|sis|friend|mate|buddy|pal|cousin|dad|father|mum|mom|mother|"
    r"grand(?:ma|pa|mother|father|mum|dad)|granny|nan|gran|uncle|aunt|auntie|nephew|niece|son|"
    r"daughter|roommate|flatmate|housemate|colleague|coworker|neighbou?r|[a-z]+-in-law)"
)
# The writer's own tablets handed to someone else, who has them now: "gave my little brother 2 of
# my anastrozole" (an exposure of that person, and a dose decision that was not his to make).
_GAVE_SOMEONE = (
    r"\b(?:gave|given|handed|slipped|passed) (?:my |his |her |our |a )?(?:little |big |younger |"
    rf"older |baby |teenage |kid |step-?)?(?:{_RELATIVE}|wife|partner|girlfriend|gf|"
    r"teen(?:ager)?|[0-9]+ ?(?:y/?o|yrs? old|years? old)) (?:like |about |around |maybe )?"
    r"(?:\d+|one|two|three|a couple|a few|some|several|half) (?:of )?(?:my |the )?"
    r"(?:anastrozole|adex|arimidex|pills?|tablets?|tabs?|meds?)\b"
)
# The writer giving his tablets to someone, as a habit: "I've been giving him my arimidex"
_GIVING_HIM = (
    r"\b(?:been |i'?m |im |started |keep |i )giving (?:him|her|them|my \w+) (?:some of |a few of "
    r"|one of )?my (?:anastrozole|adex|arimidex|pills?|tablets?|tabs?|meds?)\b"
)
_EN_EXPOSURE = (
    rf"\b{_CHILD}\b.{{0,80}}\b{_COUNTED_SHORT}\b|\b{_COUNTED_SHORT}\b.{{0,80}}\b{_CHILD}\b|"
    rf"{_GAVE_SOMEONE}|{_GIVING_HIM}|"
    # a relative who took one of the writer's, in a gloss's word order: "took one tablet my"
    rf"\b(?:wife|partner|she|he|kid|child|{_RELATIVE})\b(?: [\w-]+){{0,6}}? (?:took|swallowed|ate) "
    r"(?:one|a|two|some) (?:pill|tablet|tab)s? (?:of )?(?:my|mine)\b|"
    r"(?:child|kid|toddler|baby|infant|son|daughter|grandson|granddaughter|nephew|niece|boy|girl|"
    r"teen(?:ager)?|[0-9]+ ?(?:year|yr|y)s?[- ]?old|[0-9]+ ?y/?o)\b.{0,40}\b(?:(?:ate|eaten|"
    rf"swallow\w*|chew\w*|got into|took|taken){_NOT_A_MEDICINE}|(?:has |had |'s )?been (?:taking|"
    r"sneaking|stealing|nicking|pinching|helping (?:him|her)self to)|"
    r"found (?:and ate|my pills))|"
    # ... but not what her husband took: "pregnant after the husband took it"
    r"(?:pregnant|expecting)\b(?:(?!\b(?:husband|he|man|men|boyfriend|bf|dh|hubby)\b).){0,40}"
    r"\b(?:took|taken|swallow\w*|ate)|"
    r"(?:took|taken|swallowed) (?:an? |my )?(?:extra|double|second|third|another) (?:dose|pill|"
    r"tablet)s?|(?:twice|double|two|2|three|3) (?:doses?|pills|tablets) (?:by|in) (?:mistake|"
    r"accident)|by (?:mistake|accident)|accidental\w*|overdos\w*|od'd|od'?ed|"
    r"took (?:too many|the whole|all (?:my|his|her|the|of (?:my|his|her))|a (?:handful|bunch|lot) "
    r"of)|(?:took|taken|swallowed|take|taking) (?:an? |my |\d+ |two |three |four |a few |some |a "
    r"couple )?(?:extra|more) (?:doses?|pills?|tablets?|tabs?)\b|"
    r"(?:child|kid|toddler|son|daughter|[0-9]+ ?(?:y/?o|year old|yr old))\b.{0,60}\b(?:pill "
    r"organi[sz]er|pill ?box|blister|bottle|packet)|(?:pills?|tablets?|slots?) (?:are |is )?"
    r"(?:missing|empty|gone)|"
    r"swallowed (?:a|the|my|his|her|some|several|a few|all) (?:of )?(?:my |the |his |her )?"
    r"(?:pills?|tablets?|strip|pack)|"
    # a pet at the tablets' container, told in any order: "the dog got the pot down and chewed
    # it, 5 are missing"
    r"(?:cat|dog|puppy|kitten|pet)\b.{0,80}\b(?:pills?|tablets?|bottle|container|pot|pack\w*|"
    r"blister)\b.{0,40}\b(?:chew\w*|ate|eaten|swallow\w*)|(?:cat|dog|puppy|kitten|pet)\b.{0,100}\b"
    r"(?:chew\w*|ate|eaten|swallow\w*|got into)\b.{0,60}\b(?:missing|gone)\b|"
    r"(?:cat|dog|puppy|kitten|pet)\b.{0,30}\b(?:ate|eaten|"
    r"swallow\w*|chew\w*|got into)(?= (?:up |on |through )?(?:an? |one |some |two |a few |it\b|them"
    r"\b|(?:the |my |his |her |a )?(?:pills?|tablets?|tabs?|meds?|medication|anastrozole|adex|"
    r"arimidex|bottle|blister|strip|dose)))|"
    # a child who has been taking them for a while, however the sentence runs on
    r"(?:child|kid|son|daughter|teen(?:ager)?|[0-9]+ ?(?:year|yr|y)s?[- ]?old|[0-9]+ ?y/?o)\b"
    r".{0,80}\b(?:has|had|'s) been taking (?:one|two|some|a few|them|it (?:daily|every)|my "
    r"(?:pills?|tablets?|anastrozole|adex|arimidex)|(?:the|those|these) (?:pills?|tablets?))|"
    # someone else taking the writer's tablets: "(his wife ...) took 2 of my anastrozole"
    r"\b(?:wife|partner|girlfriend|gf|fiancee|she|he|mother|mom|mum|roommate|friend|brother|sister|"
    r"dad|father|son|daughter|kid|mate|buddy|pal|flatmate|housemate|guest|visitor|cousin|uncle|"
    r"aunt|grandma|grandpa|granny|nan|neighbou?r|colleague|coworker|someone|somebody)\b.{0,120}"
    r"\b(?:(?:took|swallowed|tried|ate|had|necked|downed|popped|chewed) (?:\d+|one|two|"
    r"three|some|a few|a couple|several) (?:of )?|(?:'?s|has|is|was|had) been taking (?:(?:one|"
    r"some|a few|two|half|a couple)(?: of)? )?)(?:my "
    r"(?:anastrozole|adex|arimidex|pills?|tablets?|tabs?|meds?|medication)|mine\b)|"
    r"(?:pregnant|expecting)\b.{0,80}\b(?:bare hands?|"
    r"barehand\w*|without gloves|without washing|(?:not|without|never|didn'?t) wash\w*)|"
    r"(?:pregnant|expecting)\b.{0,60}\b(?:touch\w*|handl\w*|"
    r"breath\w* in|inhal\w*|dust|powder|crush\w*)|"
    r"(?:crush\w*|powder\w*)\b.{0,60}\b(?:pregnant|expecting)|"
    r"(?:been )?taking too (?:much|many)|(?:every day|daily|twice (?:a|"
    r"per) day)\b.{0,25}\binstead of|"
    r"(?:took|swallowed|taken|ate)\b.{0,40}\b(?:[5-9]|[1-9]\d) (?:tabs|tablets|pills)\b|"
    r"(?:took|swallowed|taken)\b.{0,20}\b(?:on purpose|deliberately|intentionally)|"
    r"took (?:\d+|two|three|four|five) (?:in one go|at once|at the same time)|"
    r"misread (?:the |my )?(?:label|instructions|dose|prescription|bottle|box)|"
    r"(?:took|taken|had) (?:another|a second) (?:one|dose|pill|tablet)\b.{0,60}\b(?:forgot|"
    r"forgetting|without thinking)|forgot (?:i'?d|i had|that i'?d|that i had) (?:already )?"
    r"(?:taken|took)|"
    r"(?:gave|given|dispensed|filled) (?:me |him |us )?(?:someone else'?s|somebody else'?s|the "
    r"wrong) (?:bottle|pills|meds|medication|prescription|tablets)|(?:been )?taking (?:the wrong|"
    r"someone else'?s|somebody else'?s) (?:pills|meds|medication|tablets)|"
    r"(?:wife|she|he|son|daughter|kid|child|toddler|baby|dog|cat|partner|gf|girlfriend|mum|mom) "
    r"(?:\w+ ){0,6}?(?:took|swallowed|ate|has taken|had) (?:one|some|a few|two|2|a couple|"
    r"several|\d+) of my (?:pills|tablets|tabs|meds|anastrozole|adex|arimidex)\b|"
    # "my 80-year-old mother-in-law took my pill thinking it was hers"
    rf"\b(?:wife|partner|she|he|kid|child|{_RELATIVE})\b(?: [\w-]+){{0,6}}? (?:took|swallowed|"
    r"ate|has taken) (?:my|one of my) (?:pill|tablet|tab|anastrozole|adex|arimidex|dose)s?\b|"
    r"(?:took|swallowed|taken|tried) (?:one|some|a few|two|2|a couple|a pill|a tablet) of (?:his|"
    r"her|my (?:husband|wife|partner|boyfriend|dad|father|mum|mom|son|brother)'?s?)\b|"
    r"(?:took|swallowed|taken) (?:like |about |around |maybe )?"
    r"(?:[3-9]|[1-9]\d) (?:of (?:them|my|his|the)|pills|tablets|at once)"
)
_ASKING_OR_MEANING = (
    r"\b(?:should|can|could|may|shall|do) i (?:just |still |then |now |really |maybe )?|"
    r"\b(?:i'?m|i am|im) (?:just |prob(?:ably)? |honestly )?(?:gonna|going to|about to|planning "
    r"to|thinking of|thinking about|tempted to) (?:just )?|"
    r"\bi(?:'ll| will| want to| wanna|'d like to| plan to| might) (?:just )?"
)
_CHANGE_VERB = (
    r"bump|drop|up|raise|lower|cut|split|halve|double|triple|skip|stop|quit|increase|decrease|"
    r"reduce|switch|swap|substitute|trade|replace|change|space|stretch|ditch|pause|taper|wean"
)


def _ing(verb: str) -> str:
    """ "bumping", "halving", "stopping": the -ing form of a change verb."""
    if verb.endswith("e"):
        return verb[:-1] + "ing"
    if verb in ("drop", "up", "cut", "split", "skip", "stop", "quit", "swap"):
        return verb + verb[-1] + "ing"
    return verb + "ing"


# the verbs and their -ing forms ("thinking about bumping it to 2mg")
_CHANGING = "|".join(f"{v}|{_ing(v)}" for v in _CHANGE_VERB.split("|"))
_SCHEDULE = (
    r"daily|every ?day|twice|each day|every (?:other|second|2nd|third|3rd|two|2|three|3) days?|"
    r"eod|once a|three times|more|less|"
    r"extra|double|half|[0-9.,]+ ?mg"
)
# the writer changing someone else's tablets through him: "can I tell him to up it?"
_GET_HIM_TO = (
    r"(?:tell|ask|get|have|let|make|convince) (?:him|her|my (?:husband|partner|boyfriend|wife|"
    r"girlfriend)) (?:to )?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?"
# what he did to his schedule himself ("I've already switched to that", "been doing daily")
_CHANGED_IT = r"(?:switched|changed|moved|been doing|started doing)"
_REGIMEN = (
    rf"it (?:up|down)|(?:it|them|this|that) (?:or|and)\b|(?:it|them) (?:{_SCHEDULE}|off)|"
    rf"{_SCHEDULE}|(?:the|my) (?:dose|dosage|pills?|tablets?|meds?|medication|anastrozole|adex|"
    r"arimidex|ai|anastrozol\w*)|anastrozol\w*|adex|arimidex"
)
_EN_DOSE = (
    r"how (?:much|many)(?: \w+){0,3}? (?:i|we) (?:\w+ ){0,2}?(?:take|use|dose|swallow|pop|down)\b|"
    r"(?:can|could|should) i (?:stack|combine|mix|pair|run) (?:it|this|them|anastrozole|"
    r"arimidex|adex)\b.{0,60}\bhow (?:much|many|often)\b|"
    # an amount for an effect: "how many anastrozole would it take to ..."
    r"how (?:much|many) (?:of (?:them|these|those|it|my) )?(?:anastrozole|arimidex|adex|mg|"
    r"milligrams|pills|tablets|tabs|doses)\b (?:would|does|will|did|should) it take\b|"
    r"how (?:much|many) (?:anastrozole |arimidex |adex |mg |milligrams |pills |tablets )?"
    r"(?:should|do|can|must|shall) i(?! (?:trust|believe|rely|worry|care|read|know|expect|"
    r"weigh|eat|drink|exercise|spend|pay|budget|save)\b)|"
    r"how (?:much|many) (?:mg|milligrams|pills|tablets)\b.{0,40}"
    r"\b(?:should|do|would|can) i|(?:would|could|will|should) (?:taking|upping|doubling|going "
    r"(?:up )?to|bumping (?:it )?(?:up )?to) \d+(?:\.\d+)? ?(?:mg|milligrams?)\b|"
    r"what (?:dose|dosage|amount) (?:should|do|can|would) i|"
    r"(?:my|the right|correct|best|right) dose for me|dose (?:is right|would work|should i)|"
    r"should i (?:take|start|stop|quit|increase|decrease|double|half|halve|skip|go on|come off|"
    r"try|keep|continue|be (?:taking|on)|up|lower|reduce|raise|cut|change|switch|taper|restart|"
    r"use)|(?:can|could|may) i (?:take|start|stop|increase|double|skip|come off|quit|"
    r"halve|split|use|get|buy|order|just (?:take|use|stop|skip|double|halve|split|quit|order|"
    r"buy|get|up|increase|switch|go (?:up|down|to)|drop|cut))|"
    r"do i (?:need|have) to (?:take|start|keep|stop "
    r"(?:taking|the|it|my|anastrozole|adex|arimidex|the pills))|"
    r"(?:is it|would it be|is that) (?:ok|okay|safe|fine|alright|bad) (?:for me )?(?:to|if i) "
    r"(?:just )?(?:stop|skip|take|start|double|quit|up|go (?:daily|up|down|to)|switch|bump|"
    r"increase|cut|drop)|is it safe for me|"
    r"(?:missed|skipped|forgot) (?:a|my|one|yesterday'?s) (?:dose|pill|tablet)|"
    r"without (?:a )?(?:prescription|script|doctor|rx)|(?:buy|order|get) (?:it |anastrozole |"
    r"arimidex |adex )?(?:online|from a friend|without)|research chem\w*|"
    r"(?:keep|just|i'?ll|gonna|going to) (?:keep )?(?:ordering|buying|getting) (?:it |them |some )?"
    r"(?:from |off )?(?:the |an? )?(?:online|internet|web|overseas)\b|"
    # a supply from a friend, or a second drug added on his own
    r"(?:friend|buddy|mate|guy|bro|someone|cousin|brother) (?:can|could|will|'ll|said he'?d) "
    r"(?:get|sort|hook) me (?:up )?(?:with )?(?:some|it|them|a few)|"
    r"(?:thinking (?:of|about)|planning on|going to|gonna) add(?:ing)? (?:clomid|clomiphene|"
    r"letrozole|tamoxifen|hcg|enclomiphene|\w+ on top)|"
    # a schedule he wants to change: "I want to take it daily so it works faster"
    r"(?:want|wanna|would like) (?:to )?take (?:it|them|one|the \w+) (?:daily|every ?day|twice|"
    r"more often|double)|"
    r"(?:is it|would it be) (?:ok|okay|fine|alright|safe) (?:if i|to) (?:give|pass|share|lend)\b"
    r".{0,30}\b(?:tablets?|pills?|tabs|meds|some of mine)|"
    r"(?:bought|got|ordered|getting|buying) (?:it |them |some |anastrozole |adex |arimidex )?"
    r"(?:from|off) (?:a |the |some )?(?:gym|guy|dealer|website|site|friend|mate|forum|bro)|"
    r"(?:a )?safe dose (?:to|for me)|(?:dose|dosage) (?:to begin|to start) with|"
    r"(?:wife|mum|mom|mother|friend|partner|dad|father|brother)'?s (?:anastrozole|arimidex|pills|"
    r"tablets|prescription|breast cancer)|(?:every|each) (?:day|other day) (?:or|instead)|"
    r"(?:increase|up|double|raise|lower|cut) (?:my|the) (?:dose|dosage)|(?:stop|quit|ditch|bin|"
    r"chuck|toss|dump) (?:taking|"
    r"my|the) (?:anastrozole|arimidex|adex|pills|medication|meds|it)|"
    r"(?:can|could|may) i (?:keep|continue|carry on|restart|resume|switch|change|move|bump|lower|"
    r"cut|drop|add|go)|should i go (?:down|up|back)|do i (?:just )?(?:carry on|restart|continue|"
    r"take|skip|double|start over|make up)|"
    r"(?:missed|skipped|forgot) (?:[\w']+ ){0,2}(?:days?|doses?|pills?|tablets?|tabs?|adex|"
    r"arimidex|anastrozole|ai)\b|"
    # a schedule he changed, or asks to move: "I've already switched to that", "switch to
    # tue/thu/sat?", "so i've been doing daily"
    rf"(?:i'?ve|i have|i) (?:already |just |now )?{_CHANGED_IT}\b.{{0,30}}\b(?:daily|every ?day|"
    rf"eod|every other day|twice|once a|a week|"
    rf"{_WEEKDAY}|that|half|double)\b|"
    rf"\bswitch(?:ing)? (?:it |them |my \w+ )?to (?:{_WEEKDAY}|daily|"
    r"every|eod|twice|mornings?|evenings?|nights?)\b|"
    r"thinking (?:of|about) (?:just )?(?:quitting|coming off|dropping|stopping|"
    r"ditching|binning|chucking|tossing|dumping|giving up)|"
    r"without telling (?:my|his|the) (?:doctor|doc|uro\w*|gp|endo\w*|re|specialist|clinic)|"
    r"(?:doctor|uro\w*) (?:doesn'?t|does not) know|"
    r"(?:what'?s|what is) the (?:right|correct|best|proper|usual) (?:amount|dose|dosage) for "
    r"(?:me|him|fertility)|(?:he|husband|partner|boyfriend|i) (?:decided|chose) to (?:cut|stop|"
    r"double|skip|drop|lower|raise|increase|quit|come off)|(?:i|he|she)(?:'ll| will|'m going to| "
    r"am going to|'s going to| is going to) only (?:take|use|dose)|decided (?:to|he'?ll|i'?ll|"
    r"she'?ll) only (?:take|use|dose)|(?:increase|increasing|up|upping|raise|raising|double|"
    r"doubling|lower|lowering|cut|cutting|drop|dropping|reduce|reducing|bump|bumping)\b.{0,30}"
    r"\b(?:on my own|by myself|myself|on his own|without (?:asking|telling))|(?:been )?(?:taking|"
    r"takes|took) (?:double|twice|triple|more than) (?:his|my|her|the) (?:prescribed |usual )?"
    r"(?:dose|amount|anastrozole|adex|arimidex|pills?|tablets?)|how (?:high|far|much) (?:can|"
    r"could|should) (?:he|i|we) (?:safely )?(?:go|take|push)|(?:stopped|quit|dropped|ditched) "
    r"(?:taking )?(?:the |my |his )?(?:anastrozole|adex|arimidex|ai|pills?|meds|medication|"
    r"tablets?|it)\b.{0,60}\b(?:didn'?t|did not|haven'?t|have not|without) (?:tell|telling|told|"
    r"ask|asking)|(?:i'?ll|i will|i'?m going to|i'?m gonna|gonna) (?:change|"
    r"switch)\b.{0,40}?,? (?:is (?:it|that|there) (?:a )?(?:problem|ok|"
    r"okay|bad|safe|fine)|any problem)|(?:would|will|does) "
    r"(?:\d+(?:\.\d+)? ?mg|double|twice|more|a higher dose)\b.{0,20}\b(?:get me|work better|"
    r"be better|help|faster)|"
    # the same reasoning the other way round: "if 1mg helps then 3mg would work faster"
    r"\b\d+(?:\.\d+)? ?mg (?:would|will|might|could|should) (?:work|be|get|help)\b.{0,20}"
    r"\b(?:better|faster|quicker|sooner)\b|"
    rf"{_GAVE_SOMEONE}|{_GIVING_HIM}|"
    r"research\W*(?:grade\W*)?(?:arimidex|adex|anastrozole|chem\w*)|"
    r"(?:right|correct|best|proper|usual|good|safe) (?:dose|dosage|amount) for (?:someone|a (?:guy|"
    r"man|person)|my (?:weight|size|age|bmi|levels?))\b|"
    r"should (?:we|they|she) (?:give|take|skip|stop|double|hold|start|keep|continue|increase)|"
    r"(?:can|could|should) (?:i|we) give (?:him|her|them|my \w+) (?:some|a few|one|any|half|a "
    r"bit|a little|a couple)|"
    # "can I give some of my pills to my brother", and a gloss's "give some pills my to he"
    r"(?:can|could|should) (?:i|we) (?:give|pass|lend|share) (?:(?:some|a few|one|any|half|a "
    r"couple|two|2)(?: of)? )?(?:my |our |the )?(?:pills?|tablets?|tabs|meds)\b(?: my| mine)? "
    r"(?:to|for|with) (?:him|her|them|he|she|my \w+)\b|"
    r"a few of (?:his|hers|theirs|my (?:dad|father|mum|mom|mother|wife)'?s)|"
    r"should i (?:bump|go|switch|move|up|increase|drop)(?: it)?(?: up| down)? to\b|"
    r"should i (?:just|still|then|now|really) (?:take|start|stop|quit|keep|continue|skip|double|"
    r"up|go)|(?:keep|carry on|continue) (?:taking|going|on)\b.{0,60}\bor (?:stop|quit|skip|come "
    r"off)|(?:retake|re-take|take (?:another|it again))\b.{0,20}\bor\b|\bor skip\b|"
    r"(?:can'?t|cannot|can|could) i (?:just )?(?:double|up|increase) it|go every (?:\d+(?:st|nd|rd|"
    r"th)|other|third|second) day|(?:adding|add) \w+ (?:on top )?.{0,40}\bmyself|"
    r"cold turkey|(?:add|start|take|run|use) (?:it|anastrozole|adex|arimidex|an ai) (?:on my own|"
    r"myself)|should (?:he|my (?:husband|son|partner|boyfriend|brother)) (?:take|stop|double|start|"
    r"come off|increase|decrease|skip|keep|continue|cut|lower|reduce|drop|go (?:down|up)|change|"
    r"switch|halve|split|space|pause)|how many (?:mg|milligrams|pills|tablets) "
    r"(?:of \w+ )?(?:for|should|do|to)|(?:only|just) take it (?:when|if|as needed)|as needed|"
    r"skip(?:ping)? (?:this|today'?s|tonight'?s|the|a) (?:morning'?s |evening'?s )?(?:tablet|pill|"
    r"dose)|(?:sells?|selling|sold) (?:adex|anastrozole|arimidex|ai|it)|from (?:his|a|my) cycle|"
    r"(?:borrow|share|use) (?:some|his|hers|a mate'?s|my friend'?s|theirs|those)|"
    r"(?:want|going|plan(?:ning)?) to (?:try|take|go (?:up|down) to|switch to|start(?: on)?) "
    r"(?:[0-9]|half|double|a (?:higher|lower|bigger|smaller)|more|less|extra)|"
    r"(?:switch|put|dose|wean|move|taper|bump|up) myself|(?:gonna|going to|will|i'?ll) (?:bump|go|"
    r"switch|move|change|increase|drop)(?: it)?(?: up| down)? to (?:daily|every|twice|\d)|"
    r"(?:i|he|my (?:husband|partner|boyfriend)) "
    r"(?:wants?|am going|is going|plans?|am thinking|is thinking|would like) to "
    r"(?:double|stop|quit|increase|up|cut|skip|come off|halve|lower|raise|drop)|"
    r"(?:one|an?) (?:more|extra) (?:tablet|pill|dose)s? (?:a|per|each) (?:week|day)|"
    r"i'?ll just (?:take|switch|skip|stop|double|cut|drop|go|up|halve)|"
    r"(?:would|will|is|does) (?:spacing|stretching|splitting|halving|doubling|skipping|cutting|"
    r"dropping|switching|pausing|stopping|lowering|reducing|upping|rationing|taking) (?:them|it|"
    r"the (?:pills|tablets|doses?)|my (?:pills|tablets|doses?)|\w+)\b.{0,40}\b(?:be )?(?:ok|okay|"
    r"fine|alright|safe|bad|a problem|work)\b|"
    r"(?:would it be|is it|will it be|would that be) (?:fine|ok|okay|alright|safe) to (?:just )?"
    r"(?:skip|miss|pause|stop|only take|take it only)|skip(?:ping)? (?:it )?(?:on )?(?:weekends|"
    r"(?:a |the )?(?:weekend|week|few days|day or two|days)\b)|(?:if i|i could|can i|could i) "
    r"(?:took|take|only take|only took) it only\b|take it only (?:the|on|when|before|during)|"
    r"(?:if i|should i|can i|could i|i'?ll|i will|i want to|i'?m going to)\b.{0,30}\b\d+(?:\.\d+)?"
    r" ?mg\b.{0,15}\b(?:instead of|rather than)|"
    r"(?:mate|friend|buddy|brother|cousin|gym)\W*s?\b.{0,60}\b(?:tablets?|pills?|tabs|some)\b"
    r".{0,80}\b(?:can i|could i|should i|i can) (?:start|take|use|try|begin)|"
    r"(?:stop|quit|halve|cut|double|skip|reduce|lower|drop)(?: it| them| the \w+)? or (?:i |should "
    r"i |just )?(?:stop|quit|halve|cut|double|skip|reduce|lower|keep|continue|split)\b|"
    r"how many (?:drops|ml|mg|pills|tablets|tabs|doses) (?:do |should |would |can |to )?(?:i|me)\b|"
    r"(?:liquid|research)\b.{0,30}\b(?:anastrozole|adex|arimidex)|(?:anastrozole|adex|arimidex)"
    r"\b.{0,30}\b(?:liquid|research (?:grade|chem\w*|use|purposes))|"
    r"(?:thinking|planning) (?:of|about|i'?ll|on|to) (?:just )?(?:stopping|doubling|switching|"
    r"swapping|skipping|upping|cutting|dropping|halving|increasing|taking (?:more|less|extra)|"
    # starting again on his own, often from a leftover supply: "thinking of restarting it"
    r"re-?start\w*|resum\w*|start\w* (?:it |them |the \w+ |my \w+ )?(?:again|back up)|"
    r"(?:going|getting|go|get) back on)|"
    # taking more than prescribed by mistake: twice in one day, a week's worth, the wrong
    # compartment
    r"\b(?:took|taken|had|swallowed) (?:my |the |a |today'?s |this morning'?s )?(?:tablet|pill|"
    r"tab|dose|anastrozole|adex|arimidex|it)s? (?:twice|two times|double)\b"
    r"(?! (?:a|per|each|every) (?:day|week|month))|"
    r"(?:took|taken|swallowed|had) (?:my |a |the |his )?(?:whole |entire |full )?(?:week|day|"
    r"month|two days|three days)'?s?'? (?:worth|supply|dose|pills|tablets)|"
    r"(?:should|can|could|do) i (?:pause|suspend|interrupt|wean|taper|(?:hold|hold off|take a "
    r"break)(?: on| from)? (?:it|them|the (?:anastrozole|adex|arimidex|ai|pills?|tablets?|"
    r"treatment|medication|meds)|my (?:anastrozole|adex|arimidex|ai|pills?|tablets?|meds|dose)|"
    r"anastrozole|adex|arimidex|taking))\b|"
    r"(?:wean|taper)(?:ing)? (?:it |them |myself )?(?:off|down)|"
    # ... but not "stop reading reddit": a stop with an activity of its own ("-ing") is no dose
    r"(?:gonna|going to|will|i'?ll) (?:just )?(?:quit|stop|drop|ditch|come off)\b"
    r"(?! (?!taking\b|using\b)\w+ing\b)|"
    # a stop already under way: "so im stopping early", "i'm coming off it now"
    r"\b(?:i'?m|im|i am) (?:just |now |already )?(?:stopping|quitting|dropping|ditching|coming "
    r"off)(?: it| them| the \w+| my \w+| all (?:of )?(?:my \w+|it|them)| everything)?(?: (?:early|"
    r"now|today|tomorrow|already|for good|cold "
    r"turkey|this week)\b|\s*(?:[.,;!?]|$)| (?:and|so|because|cause|coz|since|to) "
    r"(?:i'?m |im |i'?ll |just )?(?:trying|going|taking|switching|starting|try|take|switch|start|"
    r"see)\b)|"
    # a dose of his own on a schedule: "gonna add one a day", "will take half every other day"
    r"\b(?:gonna|going to|will|i'?ll|planning to|plan to) (?:just )?(?:add|take|start|run|throw "
    r"in|try) (?:in )?(?:one|a|half|two|a half|\d+(?:\.\d+)? ?(?:mg)?)(?: tabs?| tablets?| "
    r"pills?| of (?:them|those|these))? (?:a|per|each|every|twice a|once a) (?:day|week|other "
    r"day|morning|night)\b|"
    r"(?:take|taking|took|use|using) (?:it|them|my \w+|anastrozole|adex|arimidex)\b.{0,40}"
    r"\binstead of (?:every|each|daily|twice|once|three|two|the|a|\d)|"
    # making a dose of his own from the tablet: shaving, scraping or nibbling bits off it
    # getting it around the prescriber: "doc said no ... some telehealth that'll prescribe it"
    r"(?:online|telehealth|telemedicine|website|another (?:doctor|doc|clinic|uro\w*)|somewhere "
    r"else)\b.{0,40}\b(?:prescribe|sell|give|send) (?:it|me|them)\b|"
    r"(?:shav|scrap(?:e|es|ed|ing)\b|nibbl|whittl)\w* (?:\w+ ){0,3}?(?:off |from |down )?"
    r"(?:the |his |my |a |each )?(?:pills?|tablets?|tabs?)\b|micro-?dos\w*|"
    # The shape of a self-made change, whatever its words: the writer asking or announcing
    # ("should I", "I'm gonna", "I'll") a change of verb to the tablets or their schedule.
    rf"(?:{_ASKING_OR_MEANING})(?:{_GET_HIM_TO})?(?:(?:{_CHANGING})\b(?: \w+){{0,2}}? "
    rf"(?:{_REGIMEN}|it\b)|(?:take|go|move)\b(?: \w+){{0,2}}? (?:{_SCHEDULE}))\b|"
    # adding to his own dose: "gonna keep going and add an extra half tab"
    r"\b(?:gonna|going to|will|i'?ll|plan(?:ning)? to|thinking of|want to|wanna)\b(?: \w+){0,4}? "
    r"add(?:ing)? (?:an? |one )?(?:extra|another|more|second|half|quarter)(?: half| quarter)? "
    r"(?:a )?(?:tab|tabs|tablets?|pills?|doses?|mg)\b|"
    # a change as a condition: "if i double up all week will the numbers look better?"
    rf"\bif i (?:just )?(?:(?:{_CHANGING}) (?:it|them|up|down|back|(?:the|my) (?:\w+ )?"
    r"(?:dose|pills?|tablets?|tabs|anastrozole|adex|arimidex|ai)|to \d)|take (?:more|extra|two|"
    r"double|less))\b(?: \w+){0,4}? (?:will|would|could|does|do|is|am)\b|"
    # a change of his own, without his prescriber: "going to half it on my own"
    rf"(?:{_ASKING_OR_MEANING})(?:{_CHANGING}|half)\b(?: \w+){{0,3}}? (?:on my own|by myself|"
    r"myself|without (?:asking|telling|checking with|talking to) (?:my |the )?(?:doc|doctor|uro\w*|"
    r"gp|endo\w*|prescriber))\b|"
    # his partner's plan, told by the writer: "my husband wants to double his anastrozole"
    r"\b(?:he|my (?:husband|partner|boyfriend|fiance|hubby|bf|dh))(?: \w+){0,4}? (?:wants|plans|"
    r"is planning|is going|'?s going|is thinking(?: about| of)?|'?s thinking(?: about| of)?|"
    rf"keeps talking about|insists on) (?:to )?(?:{_CHANGE_VERB})\w*\b(?: \w+){{0,2}}? "
    rf"(?:{_REGIMEN}|(?:his|the) (?:dose|pills?|tablets?|anastrozole|adex|arimidex)|it\b)|"
    # a pause for a trip: "leaving the pills at home while I'm away", "a break from them"
    r"\b(?:leav\w*|left) (?:the |my |all the |all my )?(?:pills?|tablets?|tabs|meds?|"
    r"medication|anastrozole|adex|arimidex) (?:at home|behind)\b|"
    r"\b(?:break|pause|holiday|vacation|time off) from (?:the |my |taking (?:the |my )?)?(?:pills?|"
    r"tablets?|tabs|meds?|medication|anastrozole|adex|arimidex)\b|"
    # cutting the tablets, planned or begun: "gonna start snapping them in half"
    r"\b(?:gonna|going to|will|i'?ll|start\w*|begin\w*|plan\w* to|thinking of|decided to|"
    r"i'?m|im|i am|i'?ve been|been)\b"
    r".{0,25}\b(?:(?:snap|break|cut|split|halv|chop|divid|quarter)\w*\b.{0,30}\b(?:in|into) "
    r"(?:half|halves|two|quarters)|(?:halv|quarter)\w* (?:the |my |each |every )?(?:tablets?|"
    r"pills?|tabs|doses?))\b|"
    # a change already made, the writer's own: "I've been skipping every second day"
    rf"(?:\b(?:i'?ve|i have|i'?m|im|i am) |(?:^|[.!?] )(?:just )?)(?:been )?(?:skipping|"
    rf"splitting|halving|doubling|stretching|spacing)(?: out| up)?(?: \w+){{0,2}}? (?:{_REGIMEN}|"
    r"every|doses?|them|it|the (?:last|past)|to make up)\b|"
    # several at once, or more than the one prescribed: "take 5 at once to reset my estrogen"
    r"\b(?:take|took|taking|taken|swallow\w*) (?:\d+|two|three|four|five|six|several) (?:of "
    r"them |tablets? |pills? |tabs? )?(?:at once|in one go|at the same time|together)\b|"
    r"\b(?:\d+|two|three|four|five|double) (?:tablets? |pills? |tabs? )?(?:instead of|rather "
    r"than) (?:one|1|my usual|the usual|half|a half)\b|"
    # stopping around the prescriber: "just stopping them without talking to the doctor", "quit
    # them a week ago, my uro has no idea"
    r"\b(?:stop|stopping|stopped|quit|quitting|drop|dropping|dropped|come off|coming off|came "
    r"off|ditch|ditching|ditched)\b.{0,40}"
    r"\bwithout\b.{0,25}\b(?:doctor|doc|uro|urologist|gp|clinician|asking|telling|talking|"
    r"consult\w*)\b|"
    r"\b(?:stopped|quit|dropped|ditched|came off)\b.{0,40}\b(?:on my own|by myself|myself)\b|"
    # a schedule of his own: "I think I'll switch to one tablet a week on my own"
    r"\b(?:switch\w*|chang\w*|go|going|mov\w*|cut\w*|drop\w*|reduc\w*|lower\w*|increas\w*|"
    r"rais\w*|pass) (?:\w+ ){0,2}?(?:to |down to |up to )(?:an? |one |half a |\d+ )?(?:tablets?|"
    r"pills?|tabs?|doses?|mg)\b.{0,20}\b(?:per|a|every|each|by) (?:week|day|month|other day)\b|"
    r"\b(?:stopped|quit|dropped|ditched|came off|stopped taking)\b.{0,80}\b(?:doctor|doc|uro|"
    r"urologist|gp|clinician)\b (?:doesn'?t|does not|don'?t|has no|knows? nothing|isn'?t|is not)"
    r"(?: know| idea| aware)?\b|"
    # the writer's tablets for another, the verb last (a gloss of Dutch or German word order):
    # "can I a few of my tablets to my brother give?"
    r"\b(?:can|could|should|may) i\b.{0,40}\b(?:pills?|tablets?|tabs?|meds?)\b.{0,30}"
    rf"\b{_RELATIVE}\b.{{0,12}}\bgive\b|"
    # someone else's medicine for himself: "ok if i use my dads letrozole in the meantime?"
    r"\b(?:use|take|try|borrow|have|nick|steal)\w* (?:some of |a few of )?(?:my |his |her )?"
    r"(?:dad|father|mum|mom|mother|brother|sister|wife|friend|mate|buddy|uncle|grandad|granddad|"
    r"grandpa|cousin|roommate)'?s (?:letrozole|anastrozole|arimidex|adex|femara|tamoxifen|clomid|"
    r"pills?|tablets?|meds?|medication|prescription|supply)\b|"
    # the writer's tablets for someone else: "can she try a few of my tablets?"
    r"\b(?:can|could|should|may) (?:she|he|they|my (?:wife|partner|gf|girlfriend|friend|brother|"
    r"dad|mate|buddy|sister)) (?:try|take|have|use|borrow) (?:(?:some|a few|one|a couple|any|two|"
    r"half)(?: of)? )?my (?:anastrozole|adex|arimidex|pills?|tablets?|tabs|meds|medication)\b|"
    # a pause now, made up with a double later: "skip it this week, then take double after?"
    r"\b(?:skip|skipping|miss|missing|pause|pausing|leave out|leaving out)\b.{0,100}"
    r"\b(?:then|after|afterwards|later|when i'?m back)\b.{0,30}\b(?:double|twice as much|two at "
    r"once|two a day|extra)\b|"
    # making up for missed tablets: "doubling up to make up for the ones I missed"
    r"\bmak\w* up for (?:the |my |a |those |two |2 )?(?:missed|skipped|forgotten)\b|"
    r"\bcatch\w* up on (?:the |my |those )?(?:ones?|doses?|pills?|tablets?|tabs?)? ?(?:i )?"
    r"(?:missed|skipped|forgot)\b|"
    r"\bi (?:just |already )?(?:doubled|tripled|upped|bumped|halved)(?: it| up| my dose| the dose)?"
    r" (?:to|at) \d+(?:\.\d+)? ?mg\b|"
    # a second intake told after the first: "took my pill at breakfast ... took another at lunch"
    r"\b(?:took|had|taken|swallowed) (?:my|a|the|this morning'?s|today'?s) (?:pill|tablet|tab|"
    r"dose|anastrozole|adex|arimidex)\b.{0,80}\b(?:took|had|taken|swallowed) (?:another|a "
    r"second|one more) (?:one|pill|tablet|tab|dose|of (?:them|those|these|my pills))\b|"
    # someone else wanting the writer's tablets: "my wife wants to try a few of my anastrozole"
    r"\b(?:wife|partner|girlfriend|gf|fiancee|mother|mom|mum|dad|father|friend|mate|buddy|"
    r"brother|sister|roommate|cousin|she|he)\b(?: \w+){0,2}? (?:wants?|wanted|would like|asked|"
    r"is asking|keeps asking|plans?) (?:me )?to (?:try|take|use|borrow|have|share) (?:(?:some|a "
    r"few|one|a couple|any|two|2|half)(?: of)? )?my (?:anastrozole|adex|arimidex|pills?|tablets?|"
    r"tabs|meds|medication)\b|"
    # a schedule of his own asked about: "would just taking it on weekends be enough?"
    r"\b(?:would|will|could|does|is|if) (?:just |only )?(?:taking|using|take|use|i took|i take) "
    r"(?:it|them|the (?:pills?|tablets?)|my (?:pills?|tablets?)|anastrozole|adex|arimidex) "
    r"(?:only |just )?(?:on |at |over )?(?:(?:the )?weekends?|once a (?:week|fortnight|month)|"
    r"twice a week|every (?:few|couple of|\w+) (?:days|weeks))\b|"
    # someone else's medicine handed to him, taken or tried: "trying the clomid a friend gave me"
    r"\b(?:try|trying|tried|take|taking|took|use|using|start|starting|started|run|running) (?:the "
    r"|some |his |her |those |these )?(?:\w+ )?(?:that |which )?(?:a|my|his|her|some) (?:\w+ )?"
    rf"(?:{_RELATIVE}|guy|bloke|dude|trainer|coach) (?:of (?:mine|his|hers) )?(?:gave|sent|sold|"
    r"got|passed|handed|left|brought) (?:me|us)\b|"
    # a wish for more than prescribed, in numbers: "I'd like to take 2 a day to go faster"
    r"\b(?:want|wanna|would like|'?d like|wish) (?:to )?take (?:it |them |some |of them )?(?:\d+|"
    r"two|three|double|more|extra)(?: (?:mg|tablets?|pills?|tabs?))? (?:a|per|each|every) "
    r"(?:day|week|other day)\b|"
    # the partner or a friend on his tablets now: "my wife has been taking one of my tablets"
    r"\b(?:wife|partner|girlfriend|gf|fiancee|she|mother|mom|mum|dad|father|friend|mate|buddy|"
    r"brother|sister|roommate)\b.{0,40}\b(?:'?s|has|is|was|had) been taking (?:(?:one|some|a few|"
    r"two|half|a couple)(?: of)? )?my (?:anastrozole|adex|arimidex|pills?|tablets?|tabs?|meds?|"
    r"medication)\b|"
    # all of it stopped at once: "I've stopped taking all of it"
    r"(?:\b(?:i'?ve|i have|i) |^|[.!?]\s*)(?:just )?(?:stopped|quit|dropped|ditched) (?:taking )?"
    r"(?:all of (?:it|"
    r"them|my \w+)|everything|all my (?:meds|pills|tablets|medication))\b|"
    # whether a smaller or larger amount would do for the writer
    rf"\b(?:half|quarter|a third|less|more|double|a lower dose|a smaller dose|a higher dose|"
    rf"[0-9.,]+ ?mg)(?: (?:a |of a )?(?:tablet|tab|pill|dose))? (?:(?:is|would be|will be|be|"
    rf"might be) )?(?:enough|plenty|fine|ok|okay|sufficient|too much|better) for me\b|"
    rf"\b(?:thoughts on|what about|how about) (?:just )?(?:starting|taking|going|trying|running)"
    rf"(?: \w+){{0,3}}? (?:{_SCHEDULE})\b"
)
# German and Dutch put the verb last ("kan ik die gebruiken tot ..."): in their English gloss a
# personal "can I ... use" reads with words between, the verb closing its clause.
_MAY_I = r"\b(?:can|may|should|must|shall) i\b"
_VERB_LAST = re.compile(
    rf"{_MAY_I}(?: [\w']+){{1,6}}? (?:take|use|start|stop|double|halve|"
    r"split|break|skip|increase|reduce|lower|raise|quit|begin|restart|resume|switch|swap|replace)"
    r"(?=\s*(?:[?.!,;]|$)|"
    r" (?:until|till|before|when|if|or|and|because|while|instead|as long as|as soon as|now|again|"
    r"myself|so that|so)\b)|"
    # a change of schedule, the verb last: "kan ik zelf naar elke dag gaan" -> "can I myself
    # to every day go"
    rf"{_MAY_I}(?: [\w']+){{0,3}}? (?:to |on |at )?(?:{_SCHEDULE})"
    r"(?: [\w']+)?? (?:go|switch|change|move|take|use)\b|"
    # buying it around the prescriber, the verb last: "kan ik het via een webshop bestellen"
    rf"{_MAY_I}(?: [\w']+){{0,7}}? (?:online|webshop|web shop|internet|"
    r"website|abroad|foreign|overseas)(?: [\w']+){0,3}? (?:order|buy|get)\b"
)

RULES: dict[str, dict[str, str]] = {
    "emergency": {
        "en": _EN_EMERGENCY,
        "es": r"dolor\b.{0,20}\bpecho|pecho\b.{0,20}\bdolor|me duele (?:el|mucho el) pecho|"
        r"no puedo respirar|"
        r"falta de aire|me ahogo|me desmay\w*|desmayo|perd\w* (?:la vista|el conocimiento)|no veo|"
        r"cara (?:caida|torcida)|(?:labios|lengua|garganta|cara)\b.{0,30}\bhinch\w*|"
        r"hinch\w*\b.{0,30}\b(?:labios|lengua|garganta|cara)|me cuesta respirar|convulsi\w*|"
        r"infarto|ictus|derrame|sangrado (?:fuerte|abundante)|urgencias",
        "de": r"brustschmerz\w*|schmerzen in der brust|druck auf der brust|keine luft|atemnot|"
        r"bewusstlos|ohnmacht\w*|ohnmachtig|sehe nichts|sehverlust|gesicht hangt|"
        r"(?:lippen|zunge|hals|gesicht) (?:ist |sind )?geschwollen|geschwollene (?:lippen|zunge)|"
        r"krampfanfall|herzinfarkt|schlaganfall|notaufnahme|notarzt",
        "fr": r"douleur (?:a la|dans la|thoracique)|mal a la poitrine|"
        r"poitrine (?:serree|oppressee)|(?:je n'arrive pas|du mal) a respirer|essouffl\w*|"
        r"evanoui\w*|perdu connaissance|"
        r"je ne vois plus|perte de (?:la )?vue|visage (?:paralyse|tombant)|"
        r"(?:levres|langue|gorge|visage) (?:gonfle\w*)|convulsion\w*|crise cardiaque|\bavc\b|"
        r"urgences",
    },
    "self_harm": {
        "en": _EN_SELF_HARM,
        "es": r"suicid\w*|quitarme la vida|matarme|no quiero vivir|acabar con todo|"
        r"hacerme dano|no vale la pena vivir|desaparecer para siempre|"
        r"(?:estaria|estariamos|estarian|estarias|estan|estarian) mejor(?:es)? sin (?:mi|el|ella)|"
        r"cortes en (?:los|sus|mis) (?:brazos|munecas|piernas)|cortarme|no quiero seguir|"
        r"no aguanto mas|no tiene sentido vivir|(?:quiero|quiere|prefiero|prefiere|queria) "
        r"morir(?:me|se)?|(?:tome|tomo|trague|trago)\b.{0,30}\b(?:todo|todas)\b.{0,60}\b"
        r"(?:porque|para) (?:ya no|no quiero|morir)",
        "de": r"suizid\w*|selbstmord|um(?:zu)?bringen|nicht mehr leben|mir das leben nehmen|"
        r"alles beenden|mich (?:selbst )?verletzen|will sterben|besser ohne mich|ritzen|"
        r"keinen sinn mehr (?:zu leben|im leben)",
        "fr": r"suicid\w*|me tuer|en finir|mettre fin a (?:mes jours|ma vie)|plus envie de vivre|"
        r"me faire du mal|veux mourir|mieux sans moi|scarifi\w*|plus (?:de|aucune) raison de vivre",
    },
    "exposure": {
        "en": _EN_EXPOSURE,
        "es": r"(?:hijo|hija|nino|nina|bebe)\b.{0,30}\b(?:trago|tomo|comio|se ha tragado|ha "
        r"tomado)|sobredosis|embarazada\b.{0,80}\b(?:tomo|trago|tome|trague)|"
        r"por error (?:tome|tomo)|"
        r"(?:tome|tomo|trague|trago) todo el (?:frasco|bote|blister|paquete)|"
        r"me (?:tome|trague) (?:una|un|dos|varias|unas) (?:de )?(?:sus|las|tus) (?:pastillas|"
        r"pildoras|comprimidos|tabletas)|"
        r"dos pastillas por error",
        "de": r"(?:kind|sohn|tochter|baby|enkel)\b.{0,40}\b(?:geschluckt|gegessen|genommen|"
        r"verschluckt)|uberdosis|schwanger\w*\b.{0,40}\b(?:genommen|geschluckt)|"
        r"versehentlich (?:zwei|doppelt|genommen)",
        "fr": r"(?:enfant|fils|fille|bebe)\b.{0,40}\b(?:avale|mange|pris)|surdose|overdose|"
        r"enceinte\b.{0,40}\b(?:pris|avale)|par erreur",
    },
    "dose": {
        "en": _EN_DOSE,
        "es": r"cuanto (?:debo|tengo que|puedo) tomar|puedo (?:tomar|dejar|duplicar|subir)|"
        r"deberia (?:bajar|subir|dejar|tomar\w*|partir\w*|cambiar|aumentar|reducir|saltar\w*|"
        r"doblar|espaciar)|"
        r"debo (?:tomar|dejar|parar)|dejar de tomar|doblar la dosis|sin receta|"
        # the writer's own change in the first person: "lo subo o no?", "me tomo 2 hoy?"
        r"\b(?:lo|la|los|las) (?:subo|bajo|dejo|paro|doblo|duplico|parto|salto|cambio|aumento|"
        r"reduzco|espacio|corto|tomo diario)\b|\bme tomo (?:\d|dos|tres|otra|el doble)|"
        r"\b(?:lo|la|los|las) puedo (?:cambiar|subir|bajar|dejar|partir|doblar|duplicar|espaciar)|"
        r"\b(?:yo mismo|por mi cuenta|sin (?:preguntar|decirle))\b",
        "de": r"wie viel (?:soll|muss|darf|kann) ich|(?:soll|darf|kann) ich\b.{0,60}\b"
        r"(?:nehmen|absetzen|aufhoren|weglassen|verdoppeln|reduzieren|umstellen|wechseln|"
        r"aussetzen|auslassen|pausieren|steigern|teilen)|dosis verdoppeln|"
        r"ohne rezept|absetzen|dosis (?:selbst |eigenmachtig )?(?:auf \S+ )?(?:zu )?(?:erhohen|"
        r"verdoppeln|reduzieren|senken)",
        "fr": r"combien (?:dois|puis)-je|(?:dois|puis)-je (?:prendre|arreter|doubler)|"
        r"est-ce que je (?:peux|dois) (?:prendre|arreter|commencer|passer|doubler|sauter|reduire|"
        r"augmenter|diminuer)|(?:puis|dois)-je (?:commencer|passer|reduire|augmenter|sauter)|"
        r"sans (?:lui |leur )?(?:en )?(?:demander|parler)|doubler la dose|sans ordonnance|"
        r"arreter (?:le traitement|l'anastrozole|seul)",
    },
}
# The same triage categories in Spanish, German and French, in everyday wording (the encoder
# reads English, so in these languages the rules carry the recall).
_MORE = {
    "emergency": {
        "es": r"aprieta el pecho|pecho apretado|(?:opresion|presion) en el pecho|no puede respirar|"
        r"le cuesta respirar|tos\w* sangre|vomit\w* sangre|(?:ojos|piel)\b.{0,15}\bamarill\w*|"
        r"no responde|no se despierta|inconsciente|le tiembla todo|arrastra las palabras|"
        r"habla raro|se le cae la cara|pierna hinchada|ictericia|ereccion\b.{0,30}\bhoras|"
        r"orina (?:muy )?oscura|rigidez de nuca|(?:ereccion|erecta)\b.{0,40}\b(?:dolor\w*|no "
        r"(?:baja|se (?:va|baja)))|priapismo|"
        r"(?:testiculo|escroto|huevo)s?\b.{0,50}\b(?:muy fuerte|intenso|insoportable|de golpe|de "
        r"repente|repentin\w*|hinchad\w*)|dolor (?:muy )?(?:fuerte|intenso|insoportable)\b.{0,30}"
        r"\b(?:testiculo|escroto)|confundid\w*\b.{0,40}\b(?:no sabe|vomit\w*|de repente)|"
        r"no (?:puedo|puede) mover (?:bien )?(?:el|la|un|una|mi|su) (?:brazo|pierna|mano|lado)|"
        r"se (?:me|le) (?:duerme|durmio|adormec\w*|entumec\w*) (?:la cara|media cara|el brazo|un "
        r"lado|la mitad)",
        "de": r"blut (?:gehustet|husten|erbrochen)|gelbe (?:augen|haut)|augen (?:sind )?(?:ganz )?"
        r"gelb|dunkler urin|druck (?:auf|in) der brust|brust (?:ist |wird )?eng|engegefuhl|"
        r"kurzatmig|luftnot|reagiert nicht|wacht\b.{0,20}\bnicht\b.{0,15}\bauf|umgekippt|"
        r"zusammengebrochen|nicht (?:ansprechbar|"
        r"aufzuwecken)|krampf\w*|zuck\w* am ganzen|verwaschene sprache|lallt|gesicht (?:hangt|"
        r"schief)|bein (?:ist )?(?:dick|geschwollen)|geschwollenes bein|gelb (?:im gesicht|in den "
        r"augen|im auge)|gelbsucht|urin\b.{0,20}\b(?:dunkel\w*|braun|cola)|erektion\b.{0,30}\b"
        r"stunden|nackensteif\w*|steifer nacken|dauererektion|priapismus|"
        r"(?:erektion|steif)\b.{0,40}\b(?:schmerzhaft|geht nicht (?:weg|zuruck))|"
        r"schmerzhafte\w* erektion|"
        r"hoden\w*\b.{0,50}\b(?:plotzlich|stark\w*|unertraglich|geschwollen|hollisch)|"
        r"(?:plotzlich\w*|stark\w*|unertraglich\w*) (?:schmerz\w* )?(?:im|in den) hoden|"
        r"verwirrt\b.{0,40}\b(?:weiss nicht|erbricht|plotzlich)|"
        r"weiss nicht,? (?:wo er ist|welches jahr)|(?:kann|konnte) (?:den|meinen|seinen|ihren) "
        r"(?:arm|bein) nicht (?:mehr )?(?:richtig )?bewegen|(?:gesicht|arm|gesichtshalfte) (?:ist |"
        r"wird )?(?:plotzlich )?taub",
        "fr": r"yeux (?:tout |tres )?jaunes|peau jaune|urines? foncees?|(?:gorge|levres?|langue|"
        r"visage) qui (?:gonfle|enfle)\w*|fait une crise|crise (?:d'epilepsie|convulsive)|"
        r"tremblait de partout|convuls\w*|ne repond plus|inconscient|"
        r"(?:crache|tousse|vomi) du sang|oppression|(?:poitrine qui|ca) serre|du mal a respirer|"
        r"parle bizarrement|bouche de travers|jambe (?:gonflee|enflee)|jaunisse|erection\b.{0,30}"
        r"\bheures|nuque raide|priapisme|erection\b.{0,40}\b(?:douloureuse|ne (?:part|descend|"
        r"redescend) pas)|(?:testicule|bourse|scrotum)s?\b.{0,50}\b(?:violente?|intense|"
        r"insupportable|d'un coup|brutal\w*|soudain\w*|gonfle\w*)|douleur (?:tres )?(?:violente|"
        r"intense|insupportable|brutale)\b.{0,30}\b(?:testicule|bourse)|"
        r"confus\b.{0,40}\b(?:ne sait (?:plus|pas)|vomi\w*|soudain\w*)|"
        r"(?:ne peux|n'arrive) plus (?:a )?bouger (?:le|mon|son) (?:bras|jambe)|(?:visage|bras) "
        r"(?:tout )?engourdi",
    },
    "self_harm": {
        "es": r"no (?:tiene|le veo|le encuentro) sentido (?:a )?(?:seguir|vivir)|seguir viviendo|"
        r"regal\w* (?:sus|mis|todas sus|todas mis) cosas|(?:me|se) (?:he |ha )?(?:vuelto a )?cort"
        r"(?:ar|ado|o|a)\b|guardando (?:pastillas|pildoras)|juntando (?:pastillas|pildoras)|"
        r"carta de despedida|tirar(?:me|se) (?:de|por|al|bajo|a las vias)|mejor muerto|"
        r"ya no quiero estar|quitarse la vida|matarse|para no despertar|a proposito|adrede|"
        r"soy una carga|adios a todos|(?:ya )?no (?:las|los|lo|la) va a necesitar|"
        r"regal\w* (?:su|sus|mi|mis)\b|quitar(?:me|se|te)? la vida|en vez de tomarlas|"
        r"(?:acabo de |me acabo de )?tomar(?:me)? todas (?:las|mis) (?:pastillas|pildoras|"
        r"tabletas|comprimidos)\b.{0,80}\b(?:igual|whisky|alcohol|vodka|ron|vino)|"
        r"quitar(?:me|se) de en medio|(?:pienso|piensa|pensado) (?:en )?como (?:lo )?(?:haria|"
        r"hacerlo)|(?:mas facil|mejor) para todos (?:si|sin)",
        "de": r"(?:mich|sich)\b.{0,30}\bselbst ?verletz\w*|selbstverletz\w*|(?:ge)?ritz\w*|"
        r"(?:das )?leben (?:zu )?nehmen|"
        r"nicht mehr (?:da sein|aufwachen|weiterleben)|sinnlos|abschiedsbrief|fertig mit allem|"
        r"ohne mich besser|besser ohne mich|vor den zug|von der brucke|tabletten (?:sammeln|"
        r"gesammelt|horten)|(?:sammel|sammelt|sammle|hort)\w* (?:seine|meine|ihre|die) "
        r"(?:tabletten|pillen)|(?:ne|eine|nur) last fur|mit absicht|absichtlich|"
        r"nicht mehr aufwach\w*|lebt wohl|abschied (?:von allen|nehmen)|(?:besser|lieber|"
        r"einfacher|leichter)\b.{0,30}\bwenn (?:ich|er|sie) nicht mehr (?:da|am leben|hier)\b|"
        r"nicht mehr da (?:ware|war|bin|sei|sein)\b|statt sie zu nehmen|"
        r"(?:uberlegt|nachgedacht|plane|geplant),? wie (?:ich|er) (?:es|mein leben|alles) "
        r"(?:machen|tun|beenden|anstellen)",
        "fr": r"(?:s'en )?sortirai\w* (?:tres )?bien sans moi|(?:me|se) jeter (?:sous|du|d'un|par)|"
        r"lettre d'adieu|disparaitre (?:pour de bon|pour toujours)|plus rien n'a de sens|"
        r"envie de mourir|me couper|stocke\w* des (?:medicaments|comprimes|cachets)|"
        r"(?<!faire )expres\b|"
        r"volontairement|adieu a tous|suis un fardeau|(?:ne )?(?:plus|pas) me reveiller|"
        r"(?:mets?|mis|garde) (?:mes|ses|des) (?:cachets|comprimes|medicaments) de cote|"
        r"que tout s'arrete|(?:plus simple|mieux) pour tout le monde (?:si|sans)|"
        r"si je (?:n'?)?(?:etais|suis) plus la|(?:un )?poids pour (?:tout le monde|les autres|"
        r"ma femme|ma famille)|(?:je suis|il est|elle est|suis) sur (?:le|un) (?:pont|toit|"
        r"rebord)|"
        r"(?:pense|reflechi) a comment (?:je )?(?:le )?ferai\w*",
    },
    "exposure": {
        "es": r"(?:me|se) (?:tomo|tome|trago|trague) (?:todas|toda|el bote|la caja|varias)|"
        r"(?:me|se) (?:tomo|tome|trago|trague) (?:unas |unos |como )?\d+ (?:pastillas|pildoras|"
        r"comprimidos|tabletas)|se confundio\b.{0,60}\b(?:tomo|trago)|"
        r"(?:hijo|hija|sobrin\w*|nin\w*|bebe|nieto|nieta)\b.{0,60}\b(?:blister|pastilla|bote)|"
        r"falta una pastilla|"
        r"todas (?:mis|sus|las) pastillas|tome (?:dos|el doble)|dos veces (?:la|mi) dosis|"
        r"sin querer|(?:perro|gato|mascota)\b.{0,30}\b(?:comio|trago|se comio|mordi\w*)",
        "de": r"alle (?:meine|seine|die) (?:[\w-]+)?(?:tabletten|pillen)|doppelt genommen|"
        r"zweimal genommen|aus versehen|(?:kind|sohn|tochter|kleine\w*|baby)\b.{0,40}\b"
        r"(?:geschluckt|gegessen|verschluckt|im mund)|(?:hund|katze)\b.{0,60}\b(?:gefressen|"
        r"geschluckt|erwischt)",
        "fr": r"deux fois ma dose|double dose|pris (?:deux|2) (?:comprimes|fois)|sans faire expres|"
        r"(?:avale|pris) (?:toute|tout) (?:ma|sa|la|le|mon|son) (?:boite|plaquette|flacon)|"
        r"(?:enfant|fils|fille|bebe|petit\w*)\b.{0,40}\b(?:avale|mange)|enceinte\b.{0,60}\b"
        r"(?:manipul\w*|touch\w*)|tous mes (?:comprimes|cachets)|(?:chat|chien)\b.{0,30}\b"
        r"(?:a mange|a avale|a croque)",
    },
    "dose": {
        "es": r"dejar (?:el|la|de)\b|lo dejo|la dejo|me sirve|(?:le|me) sobr\w*|cuanto (?:tomo|"
        r"hay que)|cuantos? (?:mg|miligramos|pastillas)|(?:me|le) (?:tomo|doy) (?:dos|el doble)|"
        r"doble dosis|saltarme|del gimnasio|de un amigo|quiero (?:subirlo|bajarlo|dejarlo|"
        r"cambiarlo|doblarlo)|yo solo|por mi cuenta|me salto|(?:le|te) puedo pedir|"
        r"partir (?:la|el) (?:pastilla|comprimido)|(?:bajo|subo|paso) a \d|"
        r"dejo (?:el|la) (?:anastrozol|pastilla|tratamiento)|olvid\w*\b.{0,60}\b(?:tomo|tomar|"
        r"me tomo) (?:dos|doble|el doble)|(?:cambiar|pasar) de (?:diario|cada dia|dia por "
        r"medio|cada dos dias)|(?:lo|la) tomo (?:todos los dias|a diario|diario|cada dia|dos "
        r"veces)",
        "de": r"wie ?viel (?:nehm|soll|muss|darf|kann)|vergessen\b.{0,40}\b(?:zwei|doppelt|"
        r"nachnehmen)|zwei nehmen|doppelte dosis|(?:soll|darf|kann) (?:ich|er)\b.{0,60}\b(?:nehmen|"
        r"absetzen|aufhoren|weglassen|verdoppeln|reduzieren|erhohen)|im (?:studio|gym)|"
        r"vom trainer|selbst (?:erhohen|absetzen|dosieren)|(?:ok|okay|in ordnung) zum (?:starten|"
        r"anfangen)|besorgt|wie ?viel \w+ (?:sollte|soll|muss|darf) ich|(?:runter|hoch)gehen|"
        r"(?:tablette|pille) (?:teilen|halbieren)|wenn ich\b.{0,30}\b(?:auf \d+ ?mg|erhohe|"
        r"verdopple|steigere)",
        "fr": r"je peux le (?:prendre|faire|changer|arreter)|(?:je|il) (?:prefere|veut) passer a|"
        r"c'est pareil pour (?:moi|un homme|les hommes)|combien (?:de mg|de comprimes|je dois)|"
        r"un ami m'a donne|(?:arreter|doubler|sauter|reduire|changer) (?:la|ma|le|mon) (?:dose|"
        r"traitement|comprime)|oublie\w*\b.{0,40}\b(?:deux|double|rattraper)|de moi-meme|"
        r"je peux en prendre|je (?:saute|double|arrete|reduis) (?:celui|celle|la|le|ma|mon)|"
        r"(?:je|il) (?:peux|peut|pourrais|pourrait|dois|doit) (?:passer|prendre|arreter|sauter|"
        r"doubler|reduire|espacer|baisser|diminuer|augmenter|commencer|recommencer|reprendre|"
        r"couper) (?:a |au |le |la |les |de |d'|un |une |mes |ses |mon |son )?",
    },
}
for _cls, _by_lang in _MORE.items():
    for _lang, _pattern in _by_lang.items():
        RULES[_cls][_lang] += "|" + _pattern

# A question about a risk in general ("can anastrozole cause blood clots?") is not an
# emergency, unless the message also says it is happening to someone ("I have a swollen calf").
_INFORMATIONAL = re.compile(
    r"\b(?:(?:can|could|does|do|did|will|would|might|may|to) (?:it |this |that |anastrozole |adex "
    r"|arimidex )?cause|causes|caused|causing|lead to|risks?|linked (?:to|with)|associated with|"
    r"side effects?|just curious|nobody'?s (?:done|taken) it|hypothetical\w*|"
    r"in general|anything (?:about|on)|mention\w* (?:any|anything)|safety limits?|"
    # people in the article's studies: "in the studies did anyone take too much?"
    r"(?:in|from|during) (?:the|those|these|that|this|any) (?:stud(?:y|ies)|trials?|research|"
    r"papers?)|"
    r"anyone (?:had|get|got|experience\w*)|what happens (?:if|in|when|with)|assignment|journal "
    r"club|for (?:a|my|our) (?:\w+ )?(?:class|course|exam|essay|presentation|lecture|seminar)|"
    r"is it (?:dangerous|safe|harmful) for (?:a|an|"
    r"the|someone|anyone)|que pasa (?:en general )?si|en general|qu'est-ce qui se passe (?:si|"
    r"quand)|que se passe-t-il si|was passiert,? wenn|im allgemeinen|allgemein)\b"
)
# A message written for study ("pharmacology student, case report") asks about people in general:
# the exemplar vote, which reads topic more than person, does not make it a crisis.
_STUDY = re.compile(
    r"\b(?:(?:pharmacology|pharmacy|medical|med|nursing|biology) (?:student|class|course|lecture)|"
    r"purely academic|academic question|case (?:report|study)|"
    r"assignment|homework|essay|dissertation|thesis|estudiante|etudiant\w*|student\w*)\b"
)
# "My doctor decided to stop it" reports a clinician's decision; it is a dose question only when
# the message also asks what the writer should do.
_CLINICIAN_DECIDED = re.compile(
    r"\b(?:doctor|dr|doc|uro\w*|endo\w*|specialist|clinic|gp|physician|nurse|re|rheumatologist) "
    r"(?:has |had |just )?(?:decided|wants?|wanted|told me|said|plans?|is going|chose|recommended|"
    r"me on|keeps me on|kept me on|"
    r"advised|started me|put me|switched me|stopped|took me off)|why (?:would|do|did) (?:a|the|my|"
    r"some) (?:doctor|uro\w*|specialist|endo\w*)s?|(?:urologue|medecin|docteur|androlog\w*) a "
    r"decide|(?:urologo|medico|doctor)\w* (?:decidio|ha decidido)|(?:urologe|arzt|arztin)\b.{0,40}"
    r"\b(?:abgesetzt|entschieden)|"
    # the clinician wants or plans it: "mein Arzt will ... absetzen", "mi medico quiere"
    r"\b(?:urologe|urologin|arzt|arztin|doktor|medico|medica|medecin|docteur|urologue|urologo|"
    r"uroloog|arts|dokter|androlog\w*) (?:will|mochte|plant|empfiehlt|rat|quiere|prefiere|"
    r"recomienda|veut|prefere|recommande|vuole|preferisce|consiglia|quer|prefere|recomenda|wil|"
    r"raadt)\b"
)
_ASKS_FOR_SELF = re.compile(
    r"\b(?:should|can|could|may|must|do) (?:i|we|he)\b|\bgonna\b|\bi'?ll\b|\bi will\b|"
    r"how (?:much|many)\b|"
    r"(?:is it|is that|that'?s|thats|would it be|will it be) (?:ok|okay|safe|fine|alright)"
    r"(?! (?:for me )?(?:to|if i) (?:just )?(?:ask|talk|speak|mention|bring|tell|check|call|email|"
    r"message|read|wait)\b)|(?:i'?m|i am|i was) (?:going|thinking|planning)|without telling|"
    r"myself|"
    # his own change under way: "so im stopping early"
    r"\b(?:i'?m|im|i am) (?:just |now |already )?(?:stopping|quitting|coming off|dropping|"
    r"doubling|skipping|halving|upping)\b|"
    rf"on my own|{_ASKING_OR_MEANING}|\bif i (?:go|take|switch|move|up|double|bump|cut|drop)\b|"
    r"planning to|(?:prescribe|sell|send) (?:it|them) (?:to me|if i|for me|without)|"
    r"(?:enough|plenty|sufficient|too much) for me\b|"
    # a change he made himself after what the doctor said: "I've already switched to that"
    rf"(?:i'?ve|i have) (?:already |just )?{_CHANGED_IT}\b|"
    r"je peux|puis-je|"
    r"thoughts on (?:just )?(?:starting|taking|doing|trying|running|"
    r"going)|what about (?:just )?(?:starting|taking|trying)|"
    r"puedo|kann ich|soll ich|darf ich|vorrei|posso|devo|quero|kan ik|mag ik|moet ik|wil ik"
)
# A scare that is over ("two years ago ... all clear", "vasovagal, nothing serious") is history,
# not an emergency, unless the message says something is happening again now.
# "in the 90s", "in the eighties": a decade past
_DECADE = r"in the (?:(?:19|20)?[0-9]0'?s|fifties|sixties|seventies|eighties|nineties)"
_LONG_AGO = (
    r"(?:years?|yrs?) (?:ago|back|earlier)|months (?:ago|back)|last (?:year|month|summer|winter|"
    r"spring|autumn|fall)|back in (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
    r"(?:a )?long (?:time )?ago|used to|"
    r"as a (?:teen(?:ager)?|kid|child|boy|student)|when i was (?:a )?(?:teen(?:ager)?|kid|child|"
    r"young|little|\d+)|in (?:high school|college|university)|a while (?:back|"
    r"ago)|il y a (?:\w+ )?ans|l'an dernier|l'annee derniere|el ano pasado|hace (?:\w+ )?anos|"
    r"letztes jahr|vor (?:\w+ )?jahren|back in (?:19|20)\d\d|(?:in|in the|nel|en|en el|em|im|"
    r"no ano de) (?:19|20)\d\d|anni fa|"
    r"l'anno scorso|anos atras|ano passado|jaar geleden|vorig jaar|(?:faz|ha) (?:\w+ )?anos|"
    rf"jaren geleden|{_DECADE}"
)
_RESOLVED = re.compile(
    rf"\b(?:{_LONG_AGO})\b.{{0,200}}\b"
    r"(?:normal|fine|all clear|nothing (?:serious|wrong|found)|treated|resolved|cleared|benign|"
    r"stable|stabiel|stabil|estable|stabile|estavel|sta bene|va bene|tutto bene|esta bem|"
    r"tudo bem|gaat goed|"
    r"vasovagal|rien de grave|normaux|nada grave|era nada|alles (?:gut|in ordnung)|harmlos|reflux|"
    r"panic attack|recovered|cleared|no problem|fine now|tout s'est bien passe|rassur\w*|"
    r"turned out (?:to be|it was)|nothing since|none since|never (?:again|since)|not since|"
    r"(?:doing|been) (?:really )?(?:well|great|fine|"
    r"stable)|long gone|gone now|(?:he|she)'?s fine|all good|"
    r"(?:now|today) (?:he |she )?(?:is |'s )?(?:very |really )?(?:well|fine|healthy)|"
    r"sta benissimo|sta molto bene|esta muy bien|va tres bien|geht es (?:ihm|ihr) gut|esta otimo)|"
    r"\b(?:vasovagal|always (?:do|faint|pass out) with needles)|"
    # an operation long done: "had surgery on my chest for gyno when I was 16"
    r"\b(?:surgery|operation|operated|op)\b.{0,40}\b(?:when i was (?:a )?(?:teen(?:ager)?|kid|"
    r"child|young|\d+)|(?:years?|yrs?) ago|as a (?:teen(?:ager)?|kid|child)|in (?:19|20)\d\d)\b|"
    r"\b(?:fainted|passed out|blacked out) (?:once |twice )?(?:at \d+|when i was|as a (?:kid|"
    r"teen|child))|\b(?:giving|gave|give) blood|\bat the sight of (?:blood|needles)|"
    r"\b(?:dad|father|mum|mom|mother|grand\w+|uncle|aunt|brother|sister) (?:had (?:a |an )?"
    r"(?:\w+ ){1,4}|(?:died|passed away|passed)\b.{0,40}\b)(?:years ago|in (?:19|20)\d\d|"
    rf"{_DECADE}|"
    r"at (?:age |the age of )?\d\d\b|when i was (?:a |in )?(?:teen(?:ager)?|kid|child|boy|young|"
    r"little|baby|\d+|high school|college|university)|before i was born)|"
    r"\b(?:pai|mae|avo|padre|madre|abuel[oa]|vater|mutter|opa|oma|pere|mere|grand-\w+|vader|"
    r"moeder|nonno)\b.{0,40}\b(?:ha|hace|vor|il y a|fa|geleden) (?:uns |unos |umas |"
    r"unas |cerca de |environ |etwa |circa )?\d+ (?:anos|jahren|ans|anni|jaar)"
)
# The writer himself took more than prescribed ("I accidentally took two", "double dosed"):
# poison-control advice, and a dose decision for his clinician (what to do with the next dose).
_SELF_INTAKE = re.compile(
    r"(?:^|[.!?] |\bi (?:\w+ly )?|\bi'?ve (?:\w+ly )?|\bi have (?:\w+ly )?|"
    r"\bi (?:\w+ ){1,3}and (?:then )?)(?:accidentally |"
    r"mistakenly |by mistake |by accident )?(?:took|taken|swallowed|double[- ]?dosed)\b|"
    r"\b(?:me (?:tome|trague)|tome (?:dos|el doble)|ich habe?\b.{0,40}\bgenommen|hab\b.{0,40}"
    r"\bgenommen|j'ai (?:pris|avale))\b"
)
_HABIT = re.compile(
    r"\b(?:stop\w*|quit\w*|cut\w* (?:out|down(?: on)?)|giv\w* up|kick\w*)(?: \w+){0,2} "
    r"(?:smoking|drinking|vaping|alcohol|booze|beer|weed|cannabis|caffeine|coffee|energy drinks|"
    r"cigarettes|nicotine|junk food|sugar|porn)\b"
)
# Words of death or of not going on: with them, an accident or a habit explains nothing away.
_DEATH_WORDS = re.compile(
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|end (?:it|my life|things|everything)|wake up|"
    r"(?:it|this|everything|it all) (?:to )?(?:just )?be over (?:quietly|peacefully|for good)|"
    r"be here|(?<!half-)(?<!half )(?<!shelf )life|living|alive|hurt (?:myself|me)|wish\w*|"
    r"don'?t care|enough to)\b"
)
_ACCIDENTAL = re.compile(
    r"\b(?:accidental(?:ly)?|by (?:mistake|accident)|mistakenly|mixed up|misread|forgot (?:i|that "
    r"i)|sin querer|por error|por equivocacion|aus versehen|versehentlich|par erreur|sans faire "
    r"expres|per sbaglio|per errore|por engano|sem querer|per ongeluk|per abuis|per vergissing)\b"
)
_WHOLE_SUPPLY = (
    r"(?:the|my|a|an) (?:whole|entire|full) (?:pack|packet|box|bottle|strip|blister|supply|"
    r"prescription)s?\b|all (?:of )?my (?:pills|tablets|tabs|meds)\b"
)
# The writer has swallowed a whole supply, in English or a verb-last gloss ("have an hour ago
# the whole pack swallowed"): unless he says it was a mistake, an act of self-harm.
_SWALLOWED_SUPPLY = re.compile(
    rf"\bi(?:'ve| have)? (?:just )?(?:took|taken|swallowed|downed|necked) (?:{_WHOLE_SUPPLY})|"
    rf"(?:^|[.!?] )(?:i )?(?:have|had)\b(?: [\w']+){{0,5}}? (?:{_WHOLE_SUPPLY}) (?:swallowed|"
    r"taken|eaten|downed)"
)
# A reason for extra tablets that is the treatment's own aim ("took 8 thinking it would speed
# things up", "doubled it to get my E2 down faster"): a dosing mistake, not a wish to die.
_PURPOSE = re.compile(
    r"\b(?:thinking|thought|hoping|hoped|figured|so) (?:it|that it|they|that they|this) (?:would|"
    r"might|could|will|'?d) (?:speed|work|help|kick|fix|boost|lower|bring|get|make)|\bto (?:speed "
    r"(?:it|things|this) up|get (?:my|the) (?:e2|estradiol|estrogen|levels?|numbers?|count) "
    r"(?:down|up)|make it work (?:faster|better))\b"
)
# Tablets taken to see what happens, as a joke or a dare ("my mate necked two for a laugh"): a
# poison-control question, not a wish to die (unless the message has words of dying).
_PRANK = re.compile(
    r"\b(?:for (?:a laugh|the laugh|laughs|fun|a joke|a bet|a dare)|as a (?:joke|prank|dare|"
    r"laugh)|on a dare|to see what (?:happens|it does|would happen)|for the lols?)\b"
)
# Other people's stories the writer read or heard ("read posts from guys who crashed their E2
# by taking too much"): not something happening to anyone here and now.
_HEARSAY = re.compile(
    r"\b(?:read|reading|seen|saw|heard|hear)\b.{0,30}\b(?:posts?|stories|threads?|reddit|"
    r"forums?|comments?|reviews?|horror stories|guys|bros|people|others)\b.{0,40}\b(?:who|that|"
    r"where|whose)\b"
)
_NOW = re.compile(
    r"\b(?:right now|just now|now (?:he|she|i|im)(?:'?[sm]| is| am)? (?:can'?t|cant|cannot|"
    r"has|have|having|feels?|started|is|am|'?s|'?m)\b"
    r"(?! (?:\w+ )?(?:all )?(?:fine|ok|okay|stable|good|well|normal|better|[0-9]+))|"
    r"now (?:my|his|her) (?:\w+ ){1,2}(?:is|are|feels?|went|has|keeps|started|won'?t|can'?t)"
    r"(?! (?:\w+ )?(?:all )?(?:fine|ok|okay|stable|good|well|normal|better))|today|tonight|"
    r"this (?:morning|evening|afternoon)|again|since "
    r"(?:yesterday|this)|currently|at the moment|hoy|ahora|heute|jetzt|gerade|maintenant|"
    r"aujourd'hui|ce (?:matin|soir))\b"
    # "now stable", "jetzt stabil", "nu alles stabiel": how it ended, not something new
    r"(?! (?:all |alles |tout |todo |tutto |everything )?(?:stable|stabil|stabiel|estable|stabile|"
    r"fine|ok|okay|normal|gut|bien|good))"
)
_HAPPENING = re.compile(
    r"\b(?:i have|i've got|ive got|i'm having|im having|i am having|i can'?t|"
    r"i fe(?:el|lt)(?! (?:totally |completely |perfectly |absolutely )?(?:fine|ok|okay|good|great|"
    r"normal|well)\b)|"
    r"my \w+ (?:is|are|feels?|went|has|just)|(?:he|she|they) (?:has|is|are|just|can'?t)|"
    r"right now|just now|this morning|tonight|today|since (?:i|he|she|taking|starting|this)|"
    r"currently|at the moment|my (?:son|daughter|child|kid|toddler|baby|wife|husband|partner|dad|"
    r"father|mum|mom|mother|brother|boyfriend|girlfriend|friend)|i'?ve been|ive been|i have been|"
    r"am i (?:ok|okay|alright|going to be)|just started|now|\d+ ?(?:min|mins|minutes|hrs?|hours) "
    r"(?:ago|later)|still (?:pounding|going|racing|there|hurting|bleeding)|came on|out of nowhere|"
    r"last night|(?:i'?m|he'?s|she'?s|i am|he is|she is) (?:up|on|in|"
    r"at|having|getting|feeling|sweating|throwing|vomiting|bleeding|shaking)|got this|"
    r"i (?:took|swallowed|ate)|took (?:my|another|an extra|a second|both)|i just|"
    r"after (?:my|taking|starting|i|he|she)|sudden(?:ly)?|"
    r"my (?:\w+ ){1,2}(?:is|are|feels?|went|has|keeps|started)|(?:minutes?|hours?|an hour) ago|"
    r"(?:past|last) (?:hour|few hours|\d+ (?:minutes|hours))|(?:he|she|they|brother|son|husband|"
    r"partner|wife|friend|dad|father|boyfriend|patient) (?:had|has|is having|just had|just)|"
    r"just (?:phoned|called|collapsed|fainted)|reporting|"
    # when it began: "started this afternoon", "woke up with", "since Tuesday"
    r"this (?:afternoon|evening)|woke up|waking up|(?:started|began|kicked in|came on) (?:this|"
    r"today|tonight|yesterday|last night|on \w+day|an? (?:hour|few hours)|\d+ ?(?:min\w*|hours?|"
    r"hrs?|days?) ago)|since (?:yesterday|last night|(?:mon|tues|wednes|thurs|fri|satur|sun)day))\b"
)
# Figures of speech that borrow the words of an emergency or of self-harm; removed before the
# rules and the exemplar vote read a message (a closed set of idioms, not of symptoms).
_IDIOM = re.compile(
    r"\b(?:nearly|almost|practically|about to) (?:\w+ ){0,3}?(?:fainted|passed out|died|dies?|"
    r"had a heart attack|heart attack|collapsed|cried)|"
    # worn out by effort, not harm: "killing myself at the gym", "with overtime", "doing cardio"
    r"kill(?:ing)? (?:myself|me) (?:at|in|with|over|doing) (?:the |my |all |this |these |extra )?"
    r"(?:gym|work|job|office|training|workouts?|exercise|cardio|running|lifting|weights|diet\w*|"
    r"study\w*|overtime|shifts?|crossfit|hiit|palestra|lavoro)\b|"
    r"fast (?:\w+ )?(?:herzinfarkt|herzkasper|herzstillstand) (?:bekommen|gekriegt)|"
    r"(?:gave|give|giving) (?:me |him )?(?:a )?heart attack|"
    # ... in other languages: "ma femme va me tuer", "mi mujer me va a matar"
    r"(?:femme|mari|copine|copain|mere|pere|patron|patronne|elle|il) (?:va|vont) me tuer|"
    r"(?:mujer|esposa|novia|novio|marido|madre|padre|jefe|jefa) me (?:va a matar|mata)|"
    r"(?:frau|freundin|mutter|vater|chef|chefin) bringt mich um|"
    r"(?:moglie|ragazza|mamma|madre|capo) mi (?:ammazza|uccide)|"
    r"(?:mulher|esposa|namorada|mae|chefe) (?:vai me matar|me mata)|"
    r"(?:vrouw|vriendin|moeder|baas) (?:vermoordt|maakt) me(?: af)?\b|"
    # someone else's joke, reported: "my buddy joked he'd jump off a bridge"
    r"\b(?:buddy|friend|mate|bro|brother|he|she|they|wife|husband|coworker|colleague|guy|dude) "
    r"(?:\w+ )?(?:joked|was joking)\b[^.!?\n]{0,80}?(?<![a-z])(?:lol|a?haha\w*|lmao|rofl|jk)"
    r"(?![a-z])|"
    # "my wife will kill me if I miss it": someone's anger, not harm
    r"(?:wife|husband|partner|gf|girlfriend|bf|boyfriend|mum|mom|mother|dad|father|boss|she|he|"
    r"they|missus|misses|doctor|doc|uro) (?:is |'?s |are |'?re )?(?:going to|gonna|goes|will|'ll|"
    r"would|'d|is|'?s) (?:literally |actually |so |absolutely )?(?:kill|murder) (?:me|myself|us)\b|"
    r"(?:passed out|died|dying|die|dead) (?:laughing|of laughter|of embarrassment|to (?:know|hear|"
    r"see|try|find out))|\b(?:is|are|was|it's|its|this|that|wait|waiting|journey) (?:is |was )?"
    r"killing (?:me|myself)\b|kill me now|swallow(?:ed|ing)? (?:my|our|his) pride|"
    r"bleeding (?:money|cash)|"
    # care for his health, not harm: "dont want to mess myself up"
    r"(?:don'?t|dont|do not|wouldn'?t|would not|never) want to (?:mess|screw|muck|f\w*k) "
    r"(?:myself|me|my (?:body|health|hormones|levels|fertility)|things|it) up\b|"
    # "overdosed on coffee / forums": anything but a medicine
    r"(?:overdosed?|overdosing|od'?d|o\.d\.'?d)['\"’”]? on (?!(?:my |his |her |the |some |those |"
    r"these |"
    r"a |an |all |their )?(?:\w+ )?(?:pills?|tablets?|tabs|meds?|medications?|medicines?|"
    r"anastrozole|adex|arimidex|ai|drugs?|sleeping|paracetamol|tylenol|acetaminophen|ibuprofen|insulin|"
    r"opioids?|[0-9]))[a-z]+|"
    # "should we give it 6 months / a chance": time for the treatment, not a dose to give
    r"give it (?:a (?:chance|try|go|shot)|(?:more |some )?time|(?:another |a few |more |\d+ )"
    r"?(?:more )?(?:months?|weeks?|cycles?)|\d+(?!\s*(?:mg|milligrams?|tabs?|tablets?|pills?|"
    r"doses?|x|times)))\b|"
    r"(?:took|takes|taking) (?:my|our) breath away|chest hair|hairy chest|chest is hair\w*|"
    r"(?:info|information|data|reading|research) (?:overdose|overload)|"
    r"(?:an? )?overdose of (?:info\w*|data|reading|jargon|numbers|acronyms|science|details)|"
    # skipping a part of the article, not a dose
    r"skip (?:the |this |that )?(?:\w+ )?(?:section|part|chapter|bit|intro|reading|paragraph)s?\b|"
    r"dead (?:tired|serious|set|on my feet)|(?:done|finished|sick|tired|fed up) (?:with|of) "
    r"(?:all (?:the|this) )?(?:googl\w*|reading|research\w*|forums?|the internet|reddit|"
    r"conflicting (?:info\w*|advice))|"
    r"(?:failli |presque )(?:faire une crise cardiaque|mourir)|(?:failli )?mourir de rire|"
    r"mort de rire|muert[oa] de (?:risa|la risa)|totgelacht|ca me tue|tu me tues|me (?:va a )?"
    r"mata(?:ra)? si|bringt mich (?:noch )?um|shooting blanks|suicide squad|"
    r"\bcut (?:myself|himself) (?:shaving|while \w+ing|on (?:a|the) \w+)|"
    r"\b(?:count|numbers?|levels?|results?|motility|t|testosterone|morale|hopes?) "
    r"(?:has |have |had )?collapsed|knocked the wind out"
)
# Signs that a swallowed overdose is already acting, and amounts no one takes by mistake: with an
# exposure, either makes it an emergency too (as does an exposure that is an act of self-harm).
_ACUTE = re.compile(
    r"vomit\w*|throwing up|threw up|cramp\w*|bleed\w*|spotting|drows\w*|sleepy|dizzy|confus\w*|"
    r"not (?:making sense|himself|"
    r"herself)|zitter\w*|(?:hat|hat er|hat sie) (?:\w+ )?gebrochen|corazon a mil|"
    r"plusieurs (?:comprimes|cachets|pilules)|varias (?:pastillas|pildoras)|mehrere tabletten|"
    r"several (?:tablets|pills)|todas (?:las|mis|sus) (?:pastillas|pildoras|tabletas)|"
    r"adormilad\w*|vomita\w*|mareado|respira (?:raro|mal)|erbrech\w*|erbricht|erbrach\w*|"
    r"schlafrig|benommen|"
    r"somnolent\w*|(?:ne )?repond plus|whole (?:bottle|pack|box|strip|packet)|handful|"
    r"all (?:my|his|her|the|of (?:my|his|her|the)) (?:pills|tablets|meds)|(?:bottle|box|pack) "
    r"(?:entero|entera|entiere)|ganze (?:packung|schachtel|flasche)|toute la (?:boite|plaquette)|"
    r"todo el (?:frasco|bote|blister)|a bunch of|(?:[5-9]|[1-9][0-9]) (?:of (?:my|his|her|the) )?"
    r"(?:pills|tablets|tabs)|(?:[5-9]|[1-9][0-9]) of them"
)
# A self-harm message that is happening now (on a roof, a goodbye sent and the phone off, the
# pills taken) needs the emergency line too.
# The person at the centre of a scare described as well now: no symptom to send to A&E (an
# exposure still gets its poison-line advice).
_SEEMS_WELL = re.compile(
    r"\b(?:he|she|they|he'?s|she'?s|they'?re|(?:the|my|our) (?:kid|child|baby|toddler|son|daughter|"
    r"roommate|friend|wife|partner)) (?:seems?|looks?|is|are|feels?|acting|seemed|looked)? ?"
    r"(?:totally |completely |perfectly |absolutely |seemingly )?(?:fine|ok|okay|alright|normal|"
    r"totally normal|his usual self|her usual self)\b"
)
_BUT_NOW = re.compile(
    r"\b(?:but|except|though|although|then|until|now|still)\b,? (?:he|she|they|his|her|their|its|"
    r"it|now|i|my)\b"
)
_SAID = re.compile(r"\b(?:says?|said|saying|insists?|insisting|claims?|swears?|thinks?|tells?)\b")


def _seems_well(folded: str) -> bool:
    """Whether the message ends its story of an exposure with the person well: "seems fine"
    seen by the writer (not "he says he's fine", which a stroke's confusion also says), no
    acute sign, and nothing turning after it ("... but now he's drowsy")."""
    well = _SEEMS_WELL.search(folded)
    return (
        well is not None
        and not _SAID.search(folded, max(0, well.start() - 20), well.start() + 1)
        and not _ACUTE.search(folded)
        and not _BUT_NOW.search(folded, well.end())
    )


_IMMINENT = re.compile(
    r"\b(?:(?:up )?on (?:the|a) (?:roof|bridge|ledge|edge|top floor)|goodbye (?:message|text|"
    r"note|post|letter)|(?:took|swallowed|taken|downed|necked) (?:all|the whole|the rest)|"
    r"right now|"
    r"engine (?:running|going|on|still on)|"
    r"gun is loaded|loaded gun|tonight'?s the night|(?:set up|ready|planned|sorted) for tonight|"
    r"in my hand|sur (?:le|un) (?:pont|toit|rebord)|acabo de tomar\w*|"
    r"(?:i'?m|he'?s|she'?s) "
    r"(?:doing it|going to do it) (?:now|tonight))\b"
)
_COMPILED = {
    cls: re.compile(r"(?<![a-z])(?:" + "|".join(f"(?:{p})" for p in by_lang.values()) + ")")
    for cls, by_lang in RULES.items()
}

# Dying of something, laughing: "ik ga dood van de spanning haha", "dying of curiosity lol".
_LAUGH = (
    r"(?:a?ha(?:ha)+h?|he(?:he)+|lol+|lmf?ao+|rofl|mdr|ptdr|xd|ja(?:ja)+|je(?:je)+|k{3,}|"
    r"rs(?:rs)+)"
)
_DYING_OF_JOKE = re.compile(
    rf"\b(?:dying|die|dead|dood|muero|morro|muoio|sterbe)\b (?:of|from|van|de|di|vor)\b"
    rf"[^.!?\n]{{0,60}}?(?<![a-z]){_LAUGH}(?![a-z])"
)

# -- exemplars ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExemplarRule:
    """A class fires when its 3 closest exemplars average at least `floor` in similarity and
    beat the 3 closest negatives by `margin`; a single sentence of the message must beat them by
    `margin + piece_margin` (a sentence out of its message resembles more things than it is)."""

    floor: float
    margin: float
    piece_margin: float = 0.0


# Floors and margins chosen by leave-one-out on the bank (scripts/calibrate_safety.py): for
# exposure and dose the highest recall with at most ~1.6% of the bank's negatives (mostly hard
# look-alikes) firing; emergencies and self-harm favour recall (no margin). The sentence margins
# were set on the development sets (tests/data/safety_dev.jsonl), never on a blind one.
EXEMPLAR_RULES = {
    "emergency": ExemplarRule(0.40, 0.00, 0.00),
    "self_harm": ExemplarRule(0.40, 0.00, 0.03),
    "exposure": ExemplarRule(0.40, 0.03, 0.03),
    "dose": ExemplarRule(0.35, 0.06, 0.03),
}
# The floors above are similarities in this model's space; another model's are not comparable,
# so with any other encoder (a local ASSISTANT_MODEL, the tests' fake) only the rules apply
# until the bank is re-calibrated for it.
CALIBRATED_FOR = frozenset({"sentence-transformers/all-MiniLM-L6-v2"})
FOREIGN_MARGIN = 0.03
# A class voted on a foreign message's own words but not on its English gloss stands only if the
# gloss does not clearly say otherwise: the encoder reads English far better, and its neighbours
# for an unfamiliar language drift ("Wir planen nächstes Jahr ein Kind" sits near a child's
# exposure). Set on tests/data/safety_dev.jsonl, where the true raw-only votes lean no further
# than -0.02 and the look-alikes down to -0.28; never on a blind set.
GLOSS_DISSENT = 0.08
# An urgent class voted by the exemplars alone must come within this much of the best class's
# score: "missed yesterday's pill, should I double up?" sits far nearer the dose exemplars (0.76)
# than the self-harm ones (0.53), and is a dose question, not a crisis. Per class, the 99th
# percentile of the gap over the class's own exemplars by leave-one-out, plus 0.02
# (scripts/calibrate_safety.py --dominated): about 1 in 100 of its hardest exemplars outvoted.
DOMINATED: dict[str, float] = {"emergency": 0.13, "self_harm": 0.15, "exposure": 0.06}
TOP = 3
# Word odds (natural log) below which a vote for an urgent class is set aside: the message's
# words belong to ordinary questions ("realistically how high could my count go?"). By
# leave-one-out over the bank (scripts/calibrate_safety.py --words) no urgent exemplar scores
# below -0.98, so -2.5 sets none aside with a margin of 1.5, and sets aside a third of the
# negatives. (First picked on the studied sets; the bank alone gives the same value.)
WORD_VETO = -2.5
URGENT = ("emergency", "self_harm", "exposure")
MIN_PIECE_WORDS = 4
MAX_PIECES = 24
_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+|\s+(?:but|and then|also|btw|plus)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class SafetyBank:
    """The embedded exemplar bank: one row per exemplar, `labels` its class or "negative".

    `ordinary` (optional): the vectors of the question bank, questions the article answers. For
    the urgent classes they count as negatives too: a message closer to an ordinary article
    question than to an emergency is an article question. (Not for dose: many personal dose
    questions read like the article's questions about doses.)"""

    labels: tuple[str, ...]
    vectors: np.ndarray
    ordinary: np.ndarray | None = None
    words: Mapping[str, WordOdds] | None = None  # per urgent class: `word_odds`

    def words_say_ordinary(self, cls: str, text: str) -> bool:
        """Whether the words of `text` are far likelier in ordinary messages than in the class's
        exemplars (WORD_VETO): a vote for an urgent class on such a message is a look-alike."""
        odds = (self.words or {}).get(cls)
        return odds is not None and odds.log_odds(text) < WORD_VETO

    def scores(self, queries: np.ndarray) -> dict[str, np.ndarray]:
        """For each class (and "negative"): the mean similarity of its TOP closest exemplars,
        one value per query row."""
        import numpy as np

        sims = queries @ self.vectors.T
        labels = np.asarray(self.labels)
        out = {}
        for cls in (*CLASSES, "negative"):
            columns = sims[:, labels == cls]
            if columns.shape[1] == 0:
                out[cls] = np.full(len(queries), -1.0)
                continue
            k = min(TOP, columns.shape[1])
            out[cls] = -np.sort(-columns, axis=1)[:, :k].mean(axis=1)
        if self.ordinary is not None and len(self.ordinary):
            close = queries @ self.ordinary.T
            k = min(TOP, close.shape[1])
            out["ordinary"] = -np.sort(-close, axis=1)[:, :k].mean(axis=1)
        return out

    def fired(self, queries: np.ndarray, extra_margin: float = 0.0) -> set[str]:
        """The classes that fire for a message whose first row is the whole message and whose
        other rows are its sentences (`pieces`)."""
        return set().union(*self.vote(queries, extra_margin).rows)

    def vote(self, queries: np.ndarray, extra_margin: float = 0.0) -> Vote:
        """`fired`, row by row, and how far each class leans (the scores computed once)."""
        import numpy as np

        if len(queries) == 0:
            return Vote([], {})
        scores = self.scores(queries)
        best = np.max(np.stack([scores[c] for c in CLASSES]), axis=0)
        rows: list[set[str]] = [set() for _ in range(len(queries))]
        leans: dict[str, float] = {}
        for cls, rule in EXEMPLAR_RULES.items():
            margin = np.full(len(queries), rule.margin + extra_margin)
            margin[1:] += rule.piece_margin
            against = scores["negative"]
            if cls != "dose" and "ordinary" in scores:
                against = np.maximum(against, scores["ordinary"])
            leans[cls] = float(np.max(scores[cls] - against))
            hit = (scores[cls] >= rule.floor) & (scores[cls] - against >= margin)
            if cls in DOMINATED:
                hit &= best - scores[cls] <= DOMINATED[cls]
            for row in np.flatnonzero(hit):
                rows[int(row)].add(cls)
        return Vote(rows, leans)


@dataclass(frozen=True)
class Vote:
    """What the exemplar bank says of a message: the classes each row (the whole message, then
    its sentences) fires, and per class how far its best row sits above what it is voted
    against (negative: below)."""

    rows: list[set[str]]
    leans: dict[str, float]


def word_odds(
    labels: Sequence[str], texts: Sequence[str], ordinary: Sequence[str] = ()
) -> dict[str, WordOdds]:
    """Per urgent class, word odds (scope_words.py) of its exemplars against the bank's negatives
    and the questions the article answers."""
    negatives = [t for label, t in zip(labels, texts, strict=True) if label == "negative"]
    ins, n_ins = counts([*negatives, *ordinary])  # the same ordinary side for every class
    out = {}
    for cls in URGENT:
        outs, n_outs = counts(t for label, t in zip(labels, texts, strict=True) if label == cls)
        out[cls] = WordOdds(ins, outs, n_ins, n_outs)
    return out


def pieces(text: str, max_pieces: int = MAX_PIECES) -> list[str]:
    """The message folded, without figures of speech (`_IDIOM`), then each of its sentences of
    MIN_PIECE_WORDS words or more: a cue in the middle of a long message is compared on its own,
    not diluted by the rest. (Overlapping word windows were tried and fired on fragments.)"""
    text = " ".join(_IDIOM.sub(" ", fold(text)).split())
    out = [text[:600]]
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip()
        if len(sentence.split()) >= MIN_PIECE_WORDS and sentence not in out:
            out.append(sentence[:600])
    return out[:max_pieces]


@dataclass(frozen=True)
class SafetyCheck:
    """Which lines a message needs, in display order, and the language it is written in."""

    lines: tuple[str, ...] = ()
    language: str = "en"
    by_rule: tuple[str, ...] = ()

    def texts(self) -> tuple[str, ...]:
        """The lines to show: in the message's language and in English when it is not English."""
        out = []
        local = LOCAL_LINES.get(self.language, {})
        for cls in self.lines:
            if cls in local:
                out.append(local[cls])
            out.append(LINES[cls])
        if self.language != "en":
            out.append(ENGLISH_ONLY[self.language])
        return tuple(out)


# "The cap stayed on, all 15 tablets still there": the message says nothing was swallowed.
_NOTHING_TAKEN = re.compile(
    r"\b(?:cap (?:stayed|was still|was) on|(?:all|every) (?:\d+ )?(?:of (?:the|my) )?(?:pills?|"
    r"tablets?|tabs?|meds)\b.{0,25}\b(?:still there|accounted for|there)|(?:pills?|tablets?|tabs|"
    r"meds) (?:were |are )?(?:all )?accounted for|none (?:were |was )?(?:missing|taken|gone|"
    r"swallowed)|nothing (?:was )?(?:missing|swallowed)|(?:got|found) (?:it|the pill|the tablet) "
    r"back (?:intact|whole|in one piece)|(?:hasn'?t|has not|didn'?t|did not|never) (?:swallow\w*|"
    r"eat(?:en)?|taken|take|touched|get|got|have|had) (?:any|anything|one|a single))\b"
)
# A question about what the studies used or what an abbreviation means is not a dose decision
# for the writer (unless the message also asks one: `_ASKS_FOR_SELF`).
_ABOUT_STUDIES = re.compile(
    r"\b(?:in (?:the|these|those|this|that) (?:studies|study|article|trials?|research|paper|"
    r"table|figure)|"
    r"did (?:they|the (?:men|patients|researchers|studies|authors))(?: in the (?:article|studies|"
    r"study|paper))? (?:use|give|take)|"
    r"(?:does|did|do) (?:the|this) (?:article|study|paper|research|studies) (?:say|mention|cover|"
    r"talk|discuss)|"
    r"were (?:they|the men|the patients) (?:given|on)|what (?:does|do) ['\"]?\w+['\"]? (?:stand "
    r"for|mean))\b"
)


# "Is there a cheaper generic?" asks about price, not about a dose; getting it without a
# prescription stays a dose question.
_COST = re.compile(
    r"\b(?:cheaper|generic|price|prices|cost|costs|insurance|out of pocket|coupon|co-?pay)\b"
    r"(?!.{0,60}\b(?:without (?:a |any )?(?:prescription|rx|script)|no (?:prescription|rx)))"
)


_LONG_AGO_RE = re.compile(rf"\b(?:{_LONG_AGO})\b")
# Where a clause ends: punctuation, or a conjunction in any of the seven languages (a shorter
# clause only makes `_told_as_history` more careful).
_CLAUSE_END = re.compile(
    r"[.!?;,:\n]|\b(?:and|but|so|then|now|y|e|et|und|en|pero|mais|aber|maar|ma|mas|ahora|jetzt|"
    r"maintenant|agora|ora|nu)\b"
)
_PRESENT = re.compile(
    r"\b(?:am|is|are|has|have|having|feel|feels|feeling|can'?t|cannot|keeps?|getting|gets|"
    r"started|starting|still|again)\b"
)


def _told_as_history(pattern: re.Pattern[str], folded: str) -> bool:
    """Every cue `pattern` finds sits in a clause dated long ago and told in the past ("my brother
    had a DVT a few years back", "had an allergic reaction when I was a kid"), and nothing in the
    message is happening now: a story, not an emergency."""
    if _NOW.search(folded):
        return False
    breaks = list(_CLAUSE_END.finditer(folded))
    ends = [m.start() for m in breaks]
    starts = [0, *(m.end() for m in breaks)]
    cues = list(pattern.finditer(folded))
    for cue in cues:
        start = max(b for b in starts if b <= cue.start())
        end = min((b for b in ends if b >= cue.end()), default=len(folded))
        clause = folded[start:end]
        if not _LONG_AGO_RE.search(clause) or (
            _PRESENT.search(clause) and not _HABITUAL_PAST.search(clause)
        ):
            return False
    return bool(cues)


# "used to pass out getting blood drawn": a habit of the past ("getting" is no present here)
_HABITUAL_PAST = re.compile(r"\bused to\b")


# Nobody in the message is the writer: "read a post from a guy who said it made him suicidal".
_FIRST_PERSON = re.compile(r"\b(?:i|i'?m|im|i'?ve|ive|i'?d|i'?ll|me|my|mine|myself)\b")


# A recent check that came back clear ("had a chest X-ray last week, all clear"); only a clear
# result ends it ("started it 10 days ago ... normal side effect??" is happening).
_RECENT_CLEAR = re.compile(
    r"\blast week\b.{0,120}\b(?:all clear|came back (?:normal|fine|clear|ok|okay)|(?:was|were) "
    r"(?:all )?(?:normal|fine|clear)|nothing (?:wrong|found|serious))\b"
)


def _over(folded: str) -> set[str]:
    """A scare that is over ("last year ... stable since"): no emergency, no exposure."""
    if (_RESOLVED.search(folded) or _RECENT_CLEAR.search(folded)) and not _NOW.search(folded):
        return {"emergency", "exposure"}
    return set()


def not_happening(folded: str) -> set[str]:
    """The classes a message rules out by being general ("can it cause clots?") or about a scare
    that is over ("last year ... ECG normal")."""
    out = set()
    if _INFORMATIONAL.search(folded) and not _HAPPENING.search(folded):
        out |= {"emergency", "exposure"}
    out |= _over(folded)
    if _HEARSAY.search(folded) and not _HAPPENING.search(folded):
        out.add("exposure")  # symptoms of his own still count as an emergency
        if not _FIRST_PERSON.search(folded):
            out.add("self_harm")
    if _NOTHING_TAKEN.search(folded):
        out.add("exposure")
    return out


# What someone else does, reported: "my brother-in-law said a mate of his takes it without a
# prescription" (no dose decision of the writer's, unless he asks for himself too).
_THIRD_PARTY = re.compile(
    rf"\b(?:a|my|his|her|some) (?:[\w-]+ ){{0,2}}?(?:{_RELATIVE}|guy)"
    r"(?: (?:of|from) (?:his|hers|him|her|mine))?\b"
    r".{0,40}(?<!\bi )\b(?:takes|took|is taking|was taking|gets|got|buys|bought|orders|ordered)\b"
)


_GAVE = re.compile(_GAVE_SOMEONE)  # the writer's own decision, whoever took the tablets then


def _about_others(folded: str) -> bool:
    return bool(_THIRD_PARTY.search(folded)) and not _ASKS_FOR_SELF.search(folded)


def not_personal(folded: str, *, voted: bool = False) -> set[str]:
    """{"dose"} when the message reports a clinician's decision or asks what the studies used or
    what an abbreviation means, or (for the exemplar vote, which reads topic more than person)
    what it costs, and asks nothing for the writer."""
    cue = (
        _CLINICIAN_DECIDED.search(folded)
        or _ABOUT_STUDIES.search(folded)
        or _THIRD_PARTY.search(folded)
        or (voted and _COST.search(folded))
    )
    if cue and not _ASKS_FOR_SELF.search(folded) and not _GAVE.search(folded):
        return {"dose"}
    return set()


# Chat drops the "I" ("swallowed the whole bottle an hour ago", "thinking about bumping to
# 2mg", "going to halve it on my own"): a sentence that opens on such a verb is the writer's.
_DROPPED_I = re.compile(
    r"(^|[.!?]\s+|\n\s*)(?=(?:swallowed|downed|necked|popped|took|stopped|quit|dropped|doubled|"
    r"halved|skipped|upped|bumped|cut|split|started|ditched|came off|got|went|decided|"
    r"figured|tried|lost|ran out|kept|forgot|felt|had|thought|ended up)\b)"
)
_DROPPED_IM = re.compile(
    r"(^|[.!?]\s+|\n\s*)(?=(?:thinking (?:about|of)|planning|going to|gonna|about to|tempted to|"
    r"stopping|quitting|cutting|splitting|halving|doubling|upping|bumping|dropping|skipping|"
    r"switching|ditching|coming off|tapering|weaning|rationing|stretching)\b)"
)


def _with_subject(folded: str) -> str:
    return _DROPPED_IM.sub(r"\1i'm ", _DROPPED_I.sub(r"\1i ", folded))


def by_rules(text: str) -> set[str]:
    folded = _with_subject(_IDIOM.sub(" ", fold(text)))
    found = {cls for cls, pattern in _COMPILED.items() if pattern.search(folded)}
    if warning_pattern(folded) or (
        _SWALLOWED_SUPPLY.search(folded) and not _ACCIDENTAL.search(folded)
    ):
        found.add("self_harm")
    found -= not_happening(folded)
    found -= {
        c
        for c in ("emergency", "exposure")
        if c in found and _told_as_history(_COMPILED[c], folded)
    }
    return found - not_personal(folded)


def check(
    text: str,
    bank: SafetyBank | None = None,
    encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    glossary: Glossary | None = None,
) -> SafetyCheck:
    """The safety lines `text` needs (rules always; exemplars when a bank and encoder exist).
    A message in another language the glossary knows is also read through its English gloss
    (gloss.py): the English rules, and the exemplar vote, which reads English far better."""
    text = clean(text)
    language = detect(text)
    if glossary is not None:
        language = glossary.language(text, language)
    folded = fold(text)
    ruled = by_rules(text)
    english = glossary.english(text, language) if glossary is not None and language != "en" else ""
    folded_english = fold(english)
    # a report of what someone else takes, read in English: no dose decision of the writer's
    reported = bool(english) and _about_others(folded_english)
    if english:
        ruled |= by_rules(english) - not_happening(folded) - not_personal(folded)
        if reported:
            ruled.discard("dose")
        if language in ("de", "nl") and _VERB_LAST.search(folded_english):
            ruled |= {"dose"} - not_personal(folded)
    found = set(ruled)
    if bank is not None and encode is not None:
        # The encoder reads English best; in another language its neighbours are looser, so
        # there they must win by more.
        extra = 0.0 if language == "en" else FOREIGN_MARGIN
        own = pieces(text)
        rows = bank.vote(encode(own), extra).rows
        voted = set().union(*rows)
        if english:  # a rough gloss: its neighbours must win by the same extra margin
            glossed = bank.vote(encode(pieces(english)), extra)
            voted = {c for c in voted if glossed.leans.get(c, 0.0) >= -GLOSS_DISSENT}
            voted |= set().union(*glossed.rows)
        voted -= not_happening(folded) | _over(folded_english)
        voted -= not_personal(folded, voted=True)
        if reported:
            voted.discard("dose")
        voted -= {
            c for c in URGENT if c not in ruled and bank.words_say_ordinary(c, english or text)
        }
        if _STUDY.search(folded) and not _HAPPENING.search(folded):
            voted.discard("self_harm")
        if any(_DYING_OF_JOKE.search(t) for t in (folded, folded_english) if t):
            voted -= {"self_harm", "emergency"} - ruled  # "dying of the suspense haha"
        if "exposure" in ruled and _seems_well(folded):
            voted.discard("emergency")  # "took two of mine ... he seems fine, should he ...?"
        if (
            _ACCIDENTAL.search(folded)
            or _HABIT.search(folded)
            or _PURPOSE.search(folded)
            or _PRANK.search(folded)
        ) and not (_DEATH_WORDS.search(folded) or kinds_present(folded) - {"means", "research"}):
            voted.discard("self_harm")  # a mistake with the tablets, a prank, quitting a habit
        if (
            "dose" in ruled
            and not any(_DEATH_WORDS.search(t) for t in (folded, folded_english) if t)
            and not kinds_present(folded)
            and all(
                "dose" in by_rules(piece)
                for piece, got in zip(own, rows, strict=True)
                if "self_harm" in got
            )
        ):
            # A question the rules read as a dose decision ("how much should I take?") sits
            # near the exemplars that ask how many tablets it would take; without a word of
            # dying or a warning sign it is that dose question and no crisis. Only when every
            # piece that voted is that question: a sentence of its own beside it still counts.
            voted.discard("self_harm")
        found |= voted
    if "exposure" in found and ("self_harm" in found or _ACUTE.search(folded)):
        found.add("emergency")
    if (
        "exposure" in found
        and "self_harm" not in found
        and any(_SELF_INTAKE.search(_with_subject(t)) for t in (folded, folded_english) if t)
    ):
        found.add("dose")
    if "self_harm" in found and (
        _IMMINENT.search(folded) or "unreachable" in kinds_present(folded)
    ):
        found.add("emergency")
    order = tuple(c for c in CLASSES if c in found)
    return SafetyCheck(order, language, tuple(c for c in CLASSES if c in ruled))
