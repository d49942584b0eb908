"""Names: the people's names an article writes, and the fullest one it gives a speaker.

Runs of capitalized words, less their titles ('Sen.', 'White House press secretary'), are the
written names; a surname is resolved to the fullest name ending in it ('Warren' -> 'Elizabeth
Warren'), and a phrase with appositions to the part that names someone ('Ajmi Lourimi, a
member').
"""

from __future__ import annotations

import re
from bisect import bisect_right

from server.pipeline.document import Document
from server.pipeline.quotes.data import word_list
from server.pipeline.quotes.sentences import ABBREVIATIONS, LEADING_NON_NAME
from server.pipeline.quotes.vocabulary import NON_PERSON_WORDS

# Capitalized words in a row on one line; a period may follow one only as an abbreviation or
# an initial ("Sen.", "Donald J. Trump"), which ``_written_names`` checks.
_CAPITALIZED_RUN = re.compile(
    r"(?<![\w.])[A-Z][\w'’-]*(?:\.?[^\S\n]+(?:[A-Z]\.[^\S\n]*)?[A-Z][\w'’-]*)+"
)


_TITLES = word_list("titles")


def strip_titles(words: list[str]) -> list[str]:
    while words and (
        words[0].lower().rstrip(".") in _TITLES | LEADING_NON_NAME
        or words[0].lower().rstrip(".") in ABBREVIATIONS
    ):
        words = words[1:]
    return words


def _name_after_titles(words: list[str]) -> list[str]:
    """The capitalized words ending a phrase, after its last title or role word.

    "Tunisian Prime Minister Habib Essid" and "White House press secretary Josh Earnest" name
    Habib Essid and Josh Earnest.
    """
    k = len(words)
    while k and (
        (words[k - 1][:1].isupper() or (words[k - 1] in NAME_PARTICLES and k < len(words)))
        and words[k - 1].lower().rstrip(".") not in _TITLES
    ):
        k -= 1
    while k < len(words) and words[k] in NAME_PARTICLES:
        k += 1
    return words[k:]


NAME_PARTICLES = word_list("name_particles")


def _written_names(doc: Document) -> list[tuple[int, list[str]]]:
    """Each run of capitalized words, less its titles, split where a sentence or a name ends,
    with where its run ends (computed once per document).

    "in Ethiopia on Sunday. President Barack Obama said" writes Barack Obama, not "Sunday.
    President Barack Obama": a period after anything but an abbreviation or an initial ends
    the run, and so does a possessive ("Parata’s Ngātiwai").
    """
    if "quote_written_names" in doc.memo:
        return doc.memo["quote_written_names"]
    names: list[tuple[int, list[str]]] = []
    for match in _CAPITALIZED_RUN.finditer(doc.text):
        run: list[str] = []
        words = re.sub(r"['’]s$", "", match.group()).split()
        for k, word in enumerate(words):
            following = words[k + 1].lower() if k + 1 < len(words) else ""
            if (
                word.endswith(".")
                and len(word) > 2
                and (word[:-1].lower() not in ABBREVIATIONS or following in LEADING_NON_NAME)
            ):  # "St. Louis, Mo. The resolution said": the state ends a sentence
                run.append(word[:-1])
            elif re.search(r"\w['’]s$", word):  # "Parata’s Ngātiwai" names two things
                run.append(word[:-2])
            elif re.search(r"s['’]$", word):  # so does "Fox News' Sean Hannity"
                run.append(word[:-1])
            else:
                run.append(word)
                continue
            names.append((match.end(), _without_titles(run)))
            run = []
        if run:
            names.append((match.end(), _without_titles(run)))
    doc.memo["quote_written_names"] = names
    return names


def _without_titles(run: list[str]) -> list[str]:
    words = strip_titles(run)
    return _name_after_titles(words) or words  # "Despite Mr. Trump" writes Trump


def name_index(doc: Document) -> dict[str, str]:
    """Surname -> the fullest name the article writes ending in it."""
    if "quote_names" in doc.memo:
        return doc.memo["quote_names"]
    index: dict[str, str] = {}
    for _end, words in _written_names(doc):
        if len(words) < 2 or len(words) > 4:
            continue
        surname = words[-1]
        name = " ".join(words)
        if len(name) > len(index.get(surname, "")):
            index[surname] = name
    doc.memo["quote_names"] = index
    return index


def names_before(doc: Document, position: int) -> str | None:
    """The last person-like full name (two to four capitalized words) before ``position``."""
    if "quote_person_names" not in doc.memo:
        doc.memo["quote_person_names"] = [
            (end, " ".join(words))
            for end, words in _written_names(doc)
            if 2 <= len(words) <= 4 and not {w.lower() for w in words} & NON_PERSON_WORDS
        ]
    names = doc.memo["quote_person_names"]
    k = bisect_right(names, (position, "\uffff"))
    return names[k - 1][1] if k else None


def before_apposition(mention: str) -> str:
    """The part of a phrase with appositions that names the speaker.

    'Kall -- co-editor of a book --' and 'Ajmi Lourimi, a member' name Kall and Ajmi Lourimi;
    "the coalition's director, Matt Brooks" names Matt Brooks, "her mother, Fiona" Fiona.
    """
    without_asides = re.sub(r"\s*\([^()]*\)", "", mention)  # "Kevin McCarthy (R-Calif.)"
    parts = [part.strip() for part in re.split(r",|--|[—–]", without_asides)]
    # a lone first name counts after a description that names no one ("her mother, Fiona")
    described = not any(w[:1].isupper() for w in parts[0].split())
    for part in parts:
        words = phrase_head(part.split())  # "Representative Kevin McCarthy of California"
        name = strip_titles(words)
        titled = 0 < len(name) < len(words) and words[0][:1].isupper()  # "Mr. Christie"
        if (len(name) >= 2 or titled or (described and name)) and all(
            w[:1].isupper() or w in NAME_PARTICLES for w in name
        ):
            return part
    return parts[0]


POSSESSIVE = re.compile(r"(.*?\w)(['’]s?)\s+(.+)")


def full_name(doc: Document, phrase: str) -> str:
    """'Sen. Warren' -> 'Elizabeth Warren': the fullest name the article writes for its surname."""
    written = re.sub(r"['’]s\b|\s*\([^()]*\)", "", phrase).split()
    words = strip_titles(written)
    name = name_words(words) or [w for w in phrase_head(words) if w[:1].isupper()][-1:]
    if not name:
        return phrase.strip()
    full = name_index(doc).get(name[-1])
    if full and len(full) >= len(" ".join(name)) and set(name) <= set(full.split()):
        return full  # never "Tim Hutchinson" for "Seth Hutchinson"
    if len(name) >= 2:
        return " ".join(name)
    first_capital = next(
        (k for k, w in enumerate(written) if w[:1].isupper() and w.lower() not in LEADING_NON_NAME),
        0,
    )
    return " ".join(written[first_capital:])  # "an emotional Mr. Obama" -> "Mr. Obama"


def name_words(words: list[str]) -> list[str]:
    """The name a phrase gives: at the end of its head ("a person close to John Smith" gives
    none), or at its very end after a role ("acting chief of staff Mick Mulvaney")."""
    name = _name_after_titles(phrase_head(words))
    if len(name) < 2:
        tail = _name_after_titles(words)
        before = words[-len(tail) - 1].lower() if 2 <= len(tail) < len(words) else "and"
        if before not in _HEAD_ENDS | {"and", "or", "&"}:
            return tail
    return name


_HEAD_ENDS = word_list("head_ends")


def phrase_head(words: list[str]) -> list[str]:
    """The words before the first that opens a modifier: 'a person' of 'a person close to'."""
    for k, word in enumerate(words):
        if word.lower() in _HEAD_ENDS:
            return words[:k]
    return words


# After an outlet's name: whose ("'s") or a role ("host", "'s chief correspondent"), then a
# name of two capitalized words or more.
_STAFF_NAME = re.compile(
    r"(['’]s?)?((?:\s+[\w.'’-]+)*?\s+[a-z][\w-]*)?\s+((?:[A-Z][\w.'’-]*\s+)+[A-Z][\w.'’-]*)\s*"
)


def staff_name(after_outlet: str) -> str | None:
    """The journalist named after an outlet: "CNN's Jake Tapper", "Fox News host Sean Hannity"."""
    staff = _STAFF_NAME.fullmatch(after_outlet)
    if staff is None or not (staff.group(1) or staff.group(2)):
        return None  # "The New York Times Magazine" is one name
    name = staff.group(3)
    return None if NON_PERSON_WORDS & {w.lower() for w in name.split()} else name
