"""Word lists that more than one stage reads; the others live beside the pattern that reads them."""

from __future__ import annotations

from server.pipeline.quotes.data import word_list

DETERMINERS = word_list("determiners")


CUE_MODIFIERS = word_list("cue_modifiers")


ANONYMOUS_HEADS = word_list("anonymous_heads")


GROUP_HEADS = word_list("group_heads")


# Phrases right after a cue that are not content: time, channel, audience.
DAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"


ROLE_WORDS = word_list("role_words")


SUBJECTS = word_list("subjects")


TRAILER_PREPOSITIONS = word_list("trailer_prepositions")


SENTENCE_ADVERBS = word_list("sentence_adverbs")


LEADING_ADVERBIAL = word_list("leading_adverbial")


# Words that make a name an organization's or an outlet's, not a person's.
ORGANIZATION_WORDS = word_list("organization_words")


OUTLET_WORDS = word_list("outlet_words")


NON_PERSON_WORDS = ORGANIZATION_WORDS | OUTLET_WORDS


# Auxiliaries of a passive cue: "was reported by", "has been described as".
PASSIVE_AUX = word_list("passive_aux")
