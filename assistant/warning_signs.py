"""Warning signs of suicide that are weak alone and telling together.

A rope "just in case", a one-way ticket, "won't need the refill", "thank you all for everything",
"already decided", "the only thing keeping me going": each alone is ordinary, two kinds in one
message are the pattern crisis lines teach people to notice (means, a decision or a day chosen,
finality, denial, farewell, self-injury, despair). This scorer counts the kinds present in a
folded message (lower case, no accents); `safety` fires the crisis line when two kinds meet,
or on self-injury, a method thought out ("already worked out how I'd do it") or a burden
statement ("they'd all be better off without me") alone. It is deliberately a short list of
concepts per kind, in four languages, not of sentences.
"""

from __future__ import annotations

import re

_KINDS: dict[str, str] = {
    # access to or research of a means
    "means": r"(?:razor|blade|knife|pills|gun|rope) (?:is )?in my hand|"
    r"rope|noose|hang(?:ing)? myself|bridges?|train tracks?|railway line|central "
    r"reservation|overpass|cliff|ledge|rooftop|(?:let(?:ting)? go of|not turn(?:ing)?|jerk\w* "
    r"|yank\w* ) the (?:steering )?wheel|"
    r"oncoming (?:traffic|trucks?|lorr(?:y|ies)|cars?)|(?:steer|swerv|drive|driving|crash)\w* "
    r"(?:\w+ )?(?:into|off) (?:a |the )?(?:tree|wall|bridge|truck|lorry|river|barrier|cliff)|"
    r"\bguns?\b|rifle|pistol|shotgun|ld50|lethal|"
    r"deadly|painless|overdos\w*|lined up|a stash|a pile|une (?:bonne )?pile|(?:boxes|cajas|"
    r"boites) (?:of|de) (?:pills|tablets|pastillas|medicamentos|cachets)|(?:pills|tablets|"
    r"cachets|pastillas|tabletten) (?:saved|hoarded|piled)|razor|blades?|cuerda|soga|puente|"
    r"vias del tren|corde|pont|voie ferree|strick|brucke|gleis|schienen|how (?:high|tall|far "
    r"down) (?:the|that|this|it)\b|top (?:floor|level|of the)|parking (?:garage|structure|deck)|"
    r"multi-?stor(?:e)?y|in one (?:jar|bottle|pile|container|bag)|paracetamol\b.{0,30}\bhidden|"
    r"hidden\b.{0,30}\b(?:pills|tablets|paracetamol)|sleeping (?:pills|tablets)|"
    r"(?:whole|entire) (?:strip|blister|box|bottle|pack)|"
    r"(?:putting|put|setting|set|stashing|tucking) (?:\w+ )?(?:pills|tablets|painkillers|meds) "
    r"(?:aside|away)\b(?! (?:from|out of) (?:the )?(?:kids?|children|dog|cat|reach))",
    # an end decided or in sight
    # the decision taken, without saying to do what: telling beside an end in sight
    "decided": r"decid\w* (?:tonight|today)|already decided|made up my mind|my mind is made up|"
    r"(?:i'?ve|i have) decided(?=\s*(?:[.!]|$))|"
    # a time chosen: "already picked the day"
    r"(?:picked|chosen|chose|set|fixed|settled on) (?:a|the|my) (?:day|date)\b|"
    # at peace with an end: "made my peace with it"
    r"made (?:my )?peace with (?:it|this|that|everything|it all|dying|the idea|things|all of "
    r"it|all this|life)\b|"
    # a place chosen: "I already know where I'd go"
    r"(?:know|picked|chosen|chose|decided|found) (?:exactly )?where (?:i'?d|i would|i'?ll|i will|"
    r"i'?m going to|to) (?:go|do it)\b|"
    # "I think this weekend is when": a time named as the one
    r"\b(?:this|next|that|on) (?:weekend|week|friday|saturday|sunday|monday|tuesday|wednesday|"
    r"thursday|night|morning|month) (?:is|will be) (?:when|the (?:day|night|time|one))\b",
    # an end in sight
    "finality":
    # leaving as a euphemism, in quotes: to "go", "partir", "gehen"
    r"(?:to|pour|para|zu|per|om) ['\"‘“] ?(?:go|leave|partir|irme|ir embora|gehen|andarmene|"
    r"andare|weggaan|gaan) ?['\"’”]|tonight'?s the night|checking out|check out|"
    r"not wake up|never wake|for good|forever|the end\b|"
    r"(?:won'?t|wont|will not|not going to|ain'?t gonna) be (?:around|here)\b|"
    r"i know (?:exactly )?what i'?m (?:doing|gonna do|going to do) with (?:them|those|it)\b|"
    r"last (?:time|month|try|chance|question|message|text|post)|"
    r"won'?t (?:be )?need(?:ing)?\b|i'?m done\b(?! waiting| for (?:today|now|the day|tonight))|"
    r"(?:deserves?|merite\w*|merece\w*|verdient) (?:so much |algo |etwas )?(?:better|mieux|mejor|"
    r"besseres)|me da (?:todo )?igual|"
    r"one-way|no way out|just in case|(?:don'?t|do not|doesn'?t|does not|can'?t|cannot|"
    r"couldn'?t) see (?:the point|what (?:i'?m|he'?s|she'?s) here for|(?:a|any) future)|"
    r"(?:see|sees|there'?s|there is) no future|"
    r"pointless|keeping me going|nothing left|done pretending|"
    r"can'?t do (?:this|it|any of this|the \w+|all (?:this|of this)) any ?more|"
    r"(?:looks?|looking|seems?|feels?) like the (?:only )?(?:answer|way out|solution)|"
    r"the only (?:answer|way out|solution)\b|"
    r"done with (?:all (?:of )?(?:this|it)|everything|it all|life)|"
    r"se acabo|no le veo sentido|c'est fini|je vois plus l'interet|plus l'interet|alles vorbei|"
    r"keinen sinn|hat keinen zweck|end(?:ing)? it\b|(?:dann )?war'?s (?:das|des)\b|"
    r"mach(?:e)? ich schluss|schluss (?:zu )?machen|"
    r"regelt sich (?:dann )?(?:eh )?(?:von selbst|schon)|"
    # at peace, or gone, before long
    r"(?:i'?ll|i will|i'?m going to|gonna) (?:finally )?be (?:at peace|gone|free|out of (?:your|"
    r"everyone'?s|the) way)(?: (?:soon|shortly|finally|at last|for good|before long))",
    # saying it will not happen: a reassurance that the intent was there
    "denial": r"(?:not|never|won'?t|wont) (?:gonna |going to )?do anything (?:stupid|dumb|"
    r"drastic|silly)|don'?t worry,? i won'?t (?:do|try)|nothing stupid|"
    r"(?:i'?m |im |i am )?not (?:being|trying to be) (?:dramatic|melodramatic)",
    # goodbyes
    "farewell": r"goodbye|farewell|if (?:anyone|someone|you|she|he) (?:ever )?reads? this "
    r"(?:later|after|when|one day)|sorry (?:i|that i) (?:couldn'?t|could not|failed|wasn'?t|"
    r"was not|let you down|never)|sorry for (?:being|failing|letting)|left (?:a|me a) note|"
    r"thank(?:s| you) (?:all )?for everything|sorry for everything|me despido|je vous dis adieu|"
    r"ich verabschiede mich|"
    r"(?:take care of|look after) (?:her|them|yourself|yourselves|my|the|each other)|"
    r"(?:i )?love you all|tell (?:mom|mum|dad|them|her|him|everyone|my \w+) (?:i'?m sorry|i love)|"
    r"if (?:she|he|you|they|anyone) ever reads? this|"
    r"(?:a |the )?letters? (?:to|for)|(?:a )?note (?:to|for) (?:my|his|her)|"
    r"une lettre (?:pour|a) |carta (?:para|a) |brief an |pardon pour tout|"
    r"prends soin de|una carta|cuidala|cuidalos|abschied\w*|pass auf (?:sie|dich) auf|"
    # "you'll be fine without me": a farewell, telling beside another sign (an appointment can
    # also be fine without him, so not alone)
    r"(?:be|do) (?:just )?(?:fine|ok|okay|alright) without me",
    # telling the ones left behind it was not their doing: "tell my wife it wasn't her fault"
    "absolving": r"(?:was ?n'?t|wasnt|was not|is ?n'?t|isnt|is not|never) (?:her|his|their|your|"
    r"anyone'?s|anybody'?s|nobody'?s|my (?:wife|husband|parents|family)'?s?) fault|don'?t "
    r"blame (?:yourself|herself|himself|yourselves|her|him|them)|(?:no ?one|nobody) (?:is|was) to "
    r"blame",
    # putting things in order, giving things away
    "preparation": r"told no one|(?:everything|it all|it'?s all|all) (?:is )?(?:set up|ready|in "
    r"place|planned|arranged|organi[sz]ed|worked out)|(?:tout|todo|alles) (?:prevu|planifie|"
    r"organise|preparado|planeado|geplant|vorbereitet)|(?:gave|given|giving) (?:away|his|her|my)|"
    r"papers in order|"
    r"affairs in order|(?:a|my|his) will\b|won'?t need the|papiers en ordre|tout range|"
    r"las llaves|regal\w*|verschenkt|geschenkt|testament|cartas? (?:a|para) todos|"
    r"(?:left|wrote) (?:letters|notes) (?:for|to) (?:everyone|all)|"
    # a pet or a prized thing handed on, a will written
    r"(?:gave|given|giving|rehom\w*|found a (?:new )?home for) (?:away )?(?:the|my|his|her|our) "
    r"(?:dogs?|cats?|pets?|guitar|car|bike|watch|stuff|things|belongings)\b|"
    r"(?:sorted|made|wrote|written|writing|updated|finished|did|done) (?:out )?(?:the|my|a) will\b",
    # looking into how
    "research": r"search history|looking up|looked up|googl\w*|searched|researching|out of "
    r"curiosity|asking for a friend|if someone (?:wanted|were to|took)|hypothetically|"
    r"j'ai cherche|busque|gesucht|gegoogelt|"
    # whether a method hurts: "does it hurt if you take a whole pack?"
    r"(?:does|would|will|is) it (?:hurt|be painful|painful)\b.{0,15}\bif (?:you|i|someone|one) "
    r"(?:take|took|swallow\w*|down\w*|neck\w*)",
    # cannot be reached after a worrying message
    "unreachable": r"phone'?s off|phone is off|not answering|won'?t answer|isn'?t answering|"
    r"(?:won'?t|doesn'?t|isn'?t|not|hasn'?t|didn'?t) pick(?:ing|ed)? up(?: (?:his|her|the|their) "
    r"(?:phone|calls?))?\b(?! (?:the|a|his|my|her|some|more) )|(?:isn'?t|not|hasn'?t been|"
    r"stopped) (?:replying|responding) to (?:my|our|me|us|any|texts|calls|messages)|no answer|"
    r"ne decroche (?:pas|plus)|"
    r"can'?t reach (?:him|her)|(?:il|elle) (?:ne )?repond plus|no contesta|geht nicht (?:mehr )?"
    r"ran|nicht erreichbar",
    # thinking about it
    "ideation": r"think(?:ing)? about (?:just )?not (?:stopping|braking|slowing)|"
    r"think(?:ing)? about (?:just )?(?:not )?(?:steering|driving|jumping|taking|ending|"
    r"doing it|it|letting go|crashing|swerving|turning)|"
    r"how easy it(?: would| will| could|'d) be\b|"
    r"intrusive thoughts|act on (?:it|them|those|these)\b|thoughts? (?:of|about) (?:hurting|"
    r"harming|killing)|"
    r"keep picturing|imagin\w* (?:myself|steering|driving|jumping)|tempted to|urge to|"
    r"thoughts? (?:of|about) (?:ending|dying|not being)|pense a (?:en finir|me)|pienso en|"
    r"denke (?:daran|an)|uberlegt,? wie ich es|wie ich es (?:mache|tue|machen werde)|"
    r"(?:worked|work(?:ing)?|figured) (?:it )?out how (?:he'?d|i'?d|she'?d|to) do it|"
    r"how (?:he|i|she)'?d do it|(?:already|i) (?:know|worked out|figured out) how\b|"
    r"uberlegt,? wie|scho uberlegt|weiss (?:auch )?(?:schon|bereits|genau),? wie\b",
    # a method already thought out: telling alone
    "plan": r"how (?:i'?d|i would|i'?ll|i will|i'?m going to|i'?m gonna|im gonna) do it\b|"
    r"(?:uberlegt|entschieden|weiss|geplant)(?: schon| bereits| genau)?,? wie ich es (?:mache|"
    r"tue|machen werde|mach)|"
    r"comment je vais (?:le )?faire|como lo voy a hacer|como vou fazer|come lo faro|"
    r"hoe ik het (?:ga )?doe[n]?\b|"
    r"(?:ho gia deciso|ya decidi|j'ai (?:deja )?decide|ja decidi|hab(?:e)? (?:schon )?entschieden) "
    r"(?:come|como|comment|wie)\b",
    # hurting oneself
    "injury": r"scratch\w* (?:my|his|her) (?:arms?|skin|legs?|wrists?) (?:raw|until|till)|"
    r"until (?:it|they) (?:bleed|bleeds)|cutting (?:my|his|her)|cut (?:my|his|her) (?:arms?|"
    r"wrists?|legs?|thighs?)|"
    r"punch\w* (?:the |a )?wall|knuckles (?:split|bled|bleeding)|burn\w* (?:my|his|her) "
    r"(?:arm|skin|hand)|bang\w* (?:my|his|her) head|until (?:it|they) bled|me corto|me corte|"
    r"me lastimo|je me coupe|je me fais mal|ritze|schneide mich",
    # others "better off without me": a burden statement, telling alone
    "burden": r"(?:better|happier|at peace|in peace|tranquil\w*|mieux|mejor|"
    r"besser|meglio|melhor|beter)\b.{0,30}(?:without me|sans moi|sin mi|ohne mich|senza (?:di )?"
    r"me|sem mim|zonder mij)\b|(?:without me|sans moi|sin mi|ohne mich|senza di me|sem mim|zonder "
    r"mij),? (?:you|everyone|they|tout le monde|todos|alle|tutti|iedereen)\b.{0,30}\b(?:better|"
    r"mieux|mejor|besser|meglio|melhor|beter)|"
    # "better for everyone if I disappeared"
    r"(?:better|mieux|mejor|besser|meglio|melhor|beter)\b.{0,30}\b(?:if i (?:just )?(?:disappeared|"
    r"vanished|was gone|were gone|wasn'?t (?:here|around))|se (?:io )?sparissi|se non ci fossi|"
    r"si (?:yo )?desapareciera|si no estuviera|si je disparaissais|si je n'?etais plus la|"
    r"se eu (?:sumisse|desaparecesse)|wenn ich (?:weg|nicht mehr da) w[aä]re|als ik (?:er niet "
    r"meer was|verdween))",
    # despair
    "despair": r"hopeless|worthless|a burden|can'?t cope|can'?t take (?:it|this)|broken one|"
    r"empty inside|nobody would (?:miss|notice|care)|no one would (?:miss|notice|care)|"
    r"better off|(?:want|wants|wanted|need|needs) (?:it all|everything|all of (?:it|this)|the "
    r"pain|this|the thoughts) to (?:stop|end|be over|go away)|sin esperanza|ya no puedo|"
    r"j'en peux plus|je n'en peux plus|"
    r"nothing makes sense any ?more|(?:ya )?nada tiene sentido|plus rien n'a de sens|"
    r"ich kann nicht mehr|hoffnungslos|keine kraft mehr|nur noch leer|ya no puedo mas|"
    # failing the people one loves, over and over
    r"(?:can'?t|cannot) keep (?:letting (?:her|him|them|you|everyone|my \w+) down|failing)|"
    r"(?:keep|always) letting (?:her|him|them|everyone|my \w+) down",
}
_COMPILED = {kind: re.compile(r"(?<![a-z])(?:" + pattern + r")") for kind, pattern in
             _KINDS.items()}  # fmt: skip


# Kinds telling on their own: hurting oneself, a method thought out, and saying others would be
# better off without one.
ALONE = frozenset({"injury", "burden", "plan"})


def kinds_present(folded: str) -> frozenset[str]:
    """The kinds of warning sign a folded message shows."""
    return frozenset(kind for kind, pattern in _COMPILED.items() if pattern.search(folded))


def warning_pattern(folded: str) -> bool:
    """Self-injury or a burden statement, or two kinds of warning sign in one message."""
    found = kinds_present(folded)
    return bool(found & ALONE) or len(found) >= 2
