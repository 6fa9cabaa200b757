"""Load the corpus folder: the article, its table layouts and its references."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar

from .errors import UsageError
from .passages import ParsedArticle, Passage, TableLayout, parse_article
from .paths import PROJECT_ROOT, bundled_corpus, corpus_dir

ARTICLE_FILE = "article.txt"
DEFAULT_CORPUS = (PROJECT_ROOT / "corpus").resolve()
T = TypeVar("T")
# Exemplar banks embedded at index build: name -> (file, how to read labelled texts from it).
BANK_FILES = {
    "questions": "questions.json",  # questions each passage answers; label = passage id
    "safety": "safety_bank.json",  # safety exemplars; label = class ("negative" must not fire)
    "scope": "out_of_scope.json",  # questions the article does not answer; label = topic
}
CORPUS_FILES = (ARTICLE_FILE, "tables.json", "references.json", *BANK_FILES.values())


@dataclass(frozen=True)
class Reference:
    """One entry of the article's reference list, as structured data."""

    id: str
    authors: tuple[str, ...]
    title: str
    venue: str
    year: int
    date: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    keywords: tuple[str, ...]
    verification_note: str
    discussed_in: tuple[str, ...]
    doi: str | None = None
    pmid: str | None = None
    identifier_note: str = ""
    summarised_study: tuple[str | None, str | None] = (None, None)  # (doi, pmid)

    def identifiers(self) -> str:
        """ "DOI …; PMID …" of the cited paper (or of the study a press piece summarises)."""
        doi, pmid = (self.doi, self.pmid) if self.doi or self.pmid else self.summarised_study
        parts = [f"DOI {doi}" if doi else "", f"PMID {pmid}" if pmid else ""]
        return "; ".join(p for p in parts if p)

    @property
    def author_text(self) -> str:
        """'Lundy, S. D. et al.' or 'Raman, J. D. and Schlegel, P. N.'"""
        if self.authors[-1:] == ("et al.",):
            return " ".join(self.authors)
        return " and ".join(self.authors)

    def short(self) -> str:
        """'Lundy, S. D. et al. (2023), Consult QD, Cleveland Clinic'."""
        return f"{self.author_text} ({self.year}), {self.venue}"

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "authors": list(self.authors),
            "title": self.title,
            "venue": self.venue,
            "year": self.year,
            "date": self.date,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class Corpus:
    """The article text and its references; passages are parsed on first use (the query path
    reads them from the index and never pays for parsing)."""

    source: str
    source_name: str
    tables: tuple[TableLayout, ...]
    references: tuple[Reference, ...]

    @cached_property
    def parsed(self) -> ParsedArticle:
        parsed = parse_article(self.source, self.tables)
        return replace(parsed, passages=_attach_refs(parsed.passages, self.references))

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.parsed.passages

    def references_of(self, passage: Passage) -> list[Reference]:
        """The references a passage discusses (a reference entry lists itself)."""
        return [ref for rid in passage.refs if (ref := self.reference(rid)) is not None]

    def reference(self, ref_id: str) -> Reference | None:
        return next((r for r in self.references if r.id == ref_id), None)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read corpus file {path}: {exc}") from exc


def read_corpus_file(path: Path, build: Callable[[Any], T]) -> T:
    """Parse a corpus JSON file with `build`; a missing or mistyped field is one plain line."""
    data = _read_json(path)
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(
            f"corpus file {path} is malformed ({type(exc).__name__}: {exc}); restore it from git"
        ) from exc


def corpus_hash(folder: Path | None = None) -> str:
    """sha256 over the corpus files that shape the index."""
    folder = folder or corpus_dir()
    digest = hashlib.sha256()
    for name in CORPUS_FILES:
        digest.update(name.encode())
        try:
            digest.update((folder / name).read_bytes())
        except OSError as exc:
            raise UsageError(f"corpus file missing: {folder / name} ({exc.strerror})") from exc
    return digest.hexdigest()


def _attach_refs(passages: tuple[Passage, ...], refs: tuple[Reference, ...]) -> tuple[Passage, ...]:
    out = []
    for passage in passages:
        ids = tuple(r.id for r in refs if any(q in passage.text for q in r.discussed_in))
        own = (passage.id,) if passage.kind == "reference" else ()
        out.append(replace(passage, refs=own + ids) if ids or own else passage)
    return tuple(out)


def load_tables(folder: Path | None = None) -> tuple[TableLayout, ...]:
    return read_corpus_file(
        (folder or corpus_dir()) / "tables.json",
        lambda data: tuple(
            TableLayout(t["title"], tuple(t["columns"]), tuple(tuple(r) for r in t.get("rows", ())))
            for t in data["tables"]
        ),
    )


@dataclass(frozen=True)
class Bank:
    """Labelled example texts from one bank file, in file order."""

    name: str
    labels: tuple[str, ...]
    texts: tuple[str, ...]


def _bank_items(name: str, data: Any) -> list[tuple[str, str]]:
    if name == "questions":
        both = (*data["passages"].items(), *data.get("forum", {}).items())
        return [(pid, q) for pid, qs in both for q in qs]
    if name == "safety":
        return [(cls, t) for cls, texts in data["classes"].items() for t in texts]
    return [(topic, t) for topic, entry in data["topics"].items() for t in entry["examples"]]


def load_banks(folder: Path | None = None) -> dict[str, Bank]:
    """Every exemplar bank of the corpus (see BANK_FILES), texts cleaned of blank entries."""
    folder = folder or corpus_dir()
    banks = {}
    for name, file in BANK_FILES.items():
        items = read_corpus_file(
            folder / file,
            lambda data, name=name: [(str(a), str(b)) for a, b in _bank_items(name, data)],
        )
        items = [(label, text.strip()) for label, text in items if text.strip()]
        banks[name] = Bank(name, tuple(a for a, _ in items), tuple(b for _, b in items))
    return banks


def forum_questions(folder: Path | None = None) -> frozenset[str]:
    """The question bank's forum-register extension (questions.json "forum"): retrieval and
    scope read them with the rest; the safety vote's ordinary side does not (see its "about")."""
    return read_corpus_file(
        (folder or corpus_dir()) / BANK_FILES["questions"],
        lambda data: frozenset(str(q).strip() for qs in data.get("forum", {}).values() for q in qs),
    )


@cache
def out_of_scope_labels(folder: Path | None = None) -> dict[str, str]:
    """Out-of-scope bank topic -> the words that finish "The article does not cover ___"."""
    return read_corpus_file(
        (folder or corpus_dir()) / BANK_FILES["scope"],
        lambda data: {str(k): str(v.get("label", k)) for k, v in data["topics"].items()},
    )


def load_corpus(folder: Path | None = None) -> Corpus:
    """The corpus (article and references), cached per folder so a changed ASSISTANT_CORPUS is
    honoured; its passages are parsed on first use."""
    return _load_corpus((folder or corpus_dir()).resolve())


@cache
def _load_corpus(folder: Path) -> Corpus:
    try:
        source = (folder / ARTICLE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the article {folder / ARTICLE_FILE}: {exc}") from exc
    tables = load_tables(folder)
    refs = read_corpus_file(folder / "references.json", _references)
    shipped = folder.resolve() in (DEFAULT_CORPUS, bundled_corpus().resolve())
    name = f"corpus/{ARTICLE_FILE}" if shipped else str(folder / ARTICLE_FILE)
    return Corpus(source, name, tables, refs)


def _references(data: Any) -> tuple[Reference, ...]:
    return tuple(
        Reference(
            id=r["id"],
            authors=tuple(r["authors"]),
            title=r["title"],
            venue=r["venue"],
            year=int(r["year"]),
            date=r.get("date"),
            volume=r.get("volume"),
            issue=r.get("issue"),
            pages=r.get("pages"),
            keywords=tuple(r.get("keywords", ())),
            verification_note=r.get("verification_note", ""),
            discussed_in=tuple(r.get("discussed_in", ())),
            doi=r.get("doi"),
            pmid=r.get("pmid"),
            identifier_note=r.get("identifier_note", ""),
            summarised_study=(
                (r.get("summarised_study") or {}).get("doi"),
                (r.get("summarised_study") or {}).get("pmid"),
            ),
        )
        for r in data["references"]
    )
