"""What in a PDF could act, or carry something, besides the printed page. Plain Python.

A page PDF is offered to readers as a download, so it must be nothing but pages: no
JavaScript, no action that opens a program or another file, no embedded file, no form, and
no encryption (which hides the rest from this check, and from readers without a password).
Read with pikepdf (qpdf), which parses and repairs PDFs as viewers do; every object of the
file is inspected as a PDF object, never searched as text, so compressed object streams and
escaped names hide nothing.

Used by the upload check (articles/validators.py) and by whatever else takes PDFs in, such
as the page importer:

    problems = pdf_problems(data)    # bytes, a binary file object or a path
    if problems:
        refuse(", ".join(problem.description for problem in problems))
"""

from __future__ import annotations

import enum
import io
import os
from collections.abc import Iterator
from typing import BinaryIO

import pikepdf
from pikepdf import Name


class PdfProblem(enum.Enum):
    """A reason to refuse a PDF; the value is a stable code, `description` says it in English."""

    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    JAVASCRIPT = "javascript"
    LAUNCH = "launch"
    EMBEDDED_FILE = "embedded_file"
    FORM = "form"

    @property
    def description(self) -> str:
        return {
            PdfProblem.UNREADABLE: "the file cannot be read as a PDF",
            PdfProblem.ENCRYPTED: "the PDF is encrypted or protected by a password",
            PdfProblem.JAVASCRIPT: "the PDF contains JavaScript",
            PdfProblem.LAUNCH: "the PDF has actions that open programs or other files",
            PdfProblem.EMBEDDED_FILE: "the PDF carries embedded files",
            PdfProblem.FORM: "the PDF contains a form (AcroForm or XFA)",
        }[self]


# Action types (/S) by what they do; /JavaScript and the /JS key are JavaScript wherever found.
LAUNCH_ACTIONS = {Name.Launch, Name.GoToR, Name.GoToE, Name.RichMediaExecute}
FORM_ACTIONS = {Name.SubmitForm, Name.ImportData, Name.ResetForm}


def pdf_problems(source: bytes | BinaryIO | str | os.PathLike) -> list[PdfProblem]:
    """Every problem found in the PDF, each once, in the order of PdfProblem; [] if clean.

    An unreadable or encrypted file is reported alone: its contents cannot be inspected.
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError:
        return [PdfProblem.ENCRYPTED]
    except pikepdf.PdfError:
        return [PdfProblem.UNREADABLE]
    with pdf:
        if pdf.is_encrypted:  # an owner password alone: it opens, but is protected
            return [PdfProblem.ENCRYPTED]
        try:
            found = set(catalog_problems(pdf.Root))
            for obj in pdf.objects:
                for dictionary in direct_dictionaries(obj):
                    found.update(dictionary_problems(dictionary))
        except pikepdf.PdfError:  # an object qpdf could not repair
            return [PdfProblem.UNREADABLE]
    return [problem for problem in PdfProblem if problem in found]


def catalog_problems(root: pikepdf.Dictionary) -> Iterator[PdfProblem]:
    """What the document catalog declares: scripts and files by name, an interactive form."""
    if Name.AcroForm in root:
        yield PdfProblem.FORM
    names = root.get(Name.Names)
    if isinstance(names, pikepdf.Dictionary):
        if Name.JavaScript in names:
            yield PdfProblem.JAVASCRIPT
        if Name.EmbeddedFiles in names:
            yield PdfProblem.EMBEDDED_FILE


def direct_dictionaries(obj: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The dictionaries (and stream dictionaries) in an object, its own and those written
    inside it; objects it refers to are visited on their own, as every object of the file is."""
    stack = [obj]
    while stack:
        current = stack.pop()
        if isinstance(current, pikepdf.Stream):
            yield current
            children = [current.stream_dict.get(key) for key in current.stream_dict]
        elif isinstance(current, pikepdf.Dictionary):
            yield current
            children = [current.get(key) for key in current]
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
        )


def dictionary_problems(dictionary: pikepdf.Object) -> Iterator[PdfProblem]:
    """What one dictionary is: an action, an embedded file, a form part."""
    action = dictionary.get(Name.S)
    if action == Name.JavaScript or Name.JS in dictionary:
        yield PdfProblem.JAVASCRIPT
    if action in LAUNCH_ACTIONS:
        yield PdfProblem.LAUNCH
    if action in FORM_ACTIONS or Name.XFA in dictionary:
        yield PdfProblem.FORM
    kind, subtype = dictionary.get(Name.Type), dictionary.get(Name.Subtype)
    if (
        Name.EF in dictionary
        or kind == Name.EmbeddedFile
        or subtype in {Name.FileAttachment, Name.RichMedia}
    ):
        yield PdfProblem.EMBEDDED_FILE
    if subtype == Name.Widget:
        yield PdfProblem.FORM
