"""Forms and links read from a page with the standard library's HTML parser, as a browser sees them.

The fuzzer learns each form's field names, boxes, options and filled-in values from the
page itself, so nothing has to be kept in step with the templates by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

ORIGIN = "http://localhost"
TYPED = {"", "text", "email", "password", "search", "tel", "url", "number", "hidden", "date", "time"}
BUTTONS = {"submit", "image", "button"}


@dataclass(frozen=True)
class Field:
    """One name a form sends. "text" has one default per box (a date is three boxes of one
    name); "choice" is radios or a select (one of `options`); "multi" is checkboxes (any of)."""

    name: str
    kind: str
    defaults: tuple[str, ...]
    options: tuple[str, ...] = ()
    hidden: bool = False


@dataclass(frozen=True)
class Form:
    method: str
    action: str
    fields: tuple[Field, ...]

    def default_pairs(self) -> list[tuple[str, str]]:
        """What a browser sends if the person changes nothing and presses the button."""
        pairs = []
        for f in self.fields:
            if f.kind != "button":
                pairs.extend((f.name, value) for value in f.defaults)
        return pairs


@dataclass
class Page:
    forms: list[Form] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    method: str
    action: str
    order: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    selects: set[str] = field(default_factory=set)

    def add(self, name: str, kind: str, default: str | None = None, option: str | None = None) -> None:
        if name not in self.kinds:
            self.order.append(name)
            self.kinds[name] = kind
            self.defaults[name], self.options[name] = [], []
        if default is not None:
            self.defaults[name].append(default)
        if option is not None:
            self.options[name].append(option)

    def done(self) -> Form:
        fields = []
        for name in self.order:
            kind, options, defaults = self.kinds[name], self.options[name], self.defaults[name]
            if kind == "choice" and not defaults and options and name in self.selects:
                defaults = options[:1]  # a select with nothing marked sends its first option
            fields.append(Field(name, kind, tuple(defaults), tuple(options), name in self.hidden))
        return Form(self.method, self.action, tuple(fields))


def _path(url: str) -> str | None:
    """The path and query of a link on this site; None for another site or another scheme."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(ORIGIN).netloc:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Reader(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.base = urljoin(ORIGIN, page_url)
        self.page = Page()
        self.form: _Draft | None = None
        self.select: tuple[str, bool] | None = None
        self.option: tuple[str | None, bool] | None = None
        self.option_text: list[str] = []
        self.textarea: str | None = None
        self.textarea_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "href" in a:
            link = _path(urljoin(self.base, a["href"]))
            if link:
                self.page.links.append(link)
        elif tag == "form":
            action = _path(urljoin(self.base, a.get("action") or self.base)) or ""
            self.form = _Draft(a.get("method", "get").lower(), action)
        elif self.form is None or "disabled" in a or not a.get("name", "") and tag != "option":
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form.add(a["name"], "button", option=a.get("value", ""))
        elif tag == "select":
            kind = "multi" if "multiple" in a else "choice"
            self.select = (a["name"], kind == "multi")
            self.form.add(a["name"], kind)
            self.form.selects.add(a["name"])
        elif tag == "option" and self.select:
            self.option, self.option_text = (a.get("value"), "selected" in a), []
        elif tag == "textarea":
            self.textarea, self.textarea_text = a["name"], []

    def _input(self, a: dict[str, str]) -> None:
        kind, name = a.get("type", "text").lower(), a["name"]
        if kind in TYPED:
            self.form.add(name, "text", default=a.get("value", ""))
            if kind == "hidden":
                self.form.hidden.add(name)
        elif kind in ("radio", "checkbox"):
            value = a.get("value", "on")
            self.form.add(name, "choice" if kind == "radio" else "multi",
                          default=value if "checked" in a else None, option=value)
        elif kind in BUTTONS:
            self.form.add(name, "button", option=a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option_text.append(data)
        if self.textarea is not None:
            self.textarea_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None and self.select and self.form:
            value = self.option[0] if self.option[0] is not None else "".join(self.option_text).strip()
            self.form.add(self.select[0], "multi" if self.select[1] else "choice",
                          default=value if self.option[1] else None, option=value)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form:
            # The parser keeps the newline that browsers drop right after <textarea>.
            self.form.add(self.textarea, "text", default="".join(self.textarea_text).removeprefix("\n"))
            self.textarea = None
        elif tag == "form" and self.form is not None:
            self.page.forms.append(self.form.done())
            self.form = None


def read(html: str, page_url: str) -> Page:
    """Every form (with its fields) and every link to this site on a page at `page_url`."""
    reader = _Reader(page_url)
    reader.feed(html)
    reader.close()
    return reader.page
