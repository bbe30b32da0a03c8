"""The ontology as one offline HTML page (``ontology.html`` in the build).

Generated from ``ontology/alliance.ttl``: the ontology's header, the class
hierarchy, each class and property with its English and Japanese labels,
comment, super- and sub-terms, domain, range and characteristics (functional,
transitive, symmetric, inverse), the annotation properties, datatypes and the
controlled values (instances of a class below ``skos:Concept``, and the members
of any ``skos:ConceptScheme``). Every text is escaped with :func:`html.escape`;
the page loads nothing (its style sheet is inline). Depends on
:mod:`graph.ontology` and :mod:`graph.namespaces`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from graph.namespaces import AG, BASE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from graph.ontology import Ontology

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{margin-bottom:0}h2{border-bottom:2px solid #ccd;margin-top:2.5rem}
section.term{border-top:1px solid #ddd;padding:.4rem 0}
section.term h3{margin:.6rem 0 .2rem}code{background:#f3f3f6;padding:0 .25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.3rem 0}
dt{color:#555}dd{margin:0}.ja{color:#444}
.chars span{background:#eef;margin-right:.3rem;padding:0 .3rem}
table{border-collapse:collapse}
td,th{border:1px solid #ccd;padding:.2rem .5rem;text-align:left;vertical-align:top}
ul.tree,ul.tree ul{list-style:none;padding-left:1.2rem}nav a{margin-right:1rem}
"""

_CHARACTERISTICS = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
)
_KINDS = (
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
)


class _Page:
    def __init__(self, ontology: Ontology) -> None:
        self.o = ontology
        self.g: Graph = ontology.graph
        self.local = {
            t for t in self.g.subjects() if isinstance(t, URIRef) and str(t).startswith(str(AG))
        }

    def name(self, term: object) -> str:
        return self.o.compact(term) if isinstance(term, URIRef) else str(term)

    def ref(self, term: object) -> str:
        """A link: within the page for the ontology's terms, to the IRI otherwise."""
        if not isinstance(term, URIRef):
            return "<i>(anonymous)</i>"
        target = f"#{self.name(term)}" if term in self.local else str(term)
        return f'<a href="{escape(target)}"><code>{escape(self.name(term))}</code></a>'

    def label(self, term: URIRef, lang: str) -> str:
        for value in self.g.objects(term, RDFS.label):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
        return ""

    def sorted_terms(self, terms: Iterable[object]) -> list[URIRef]:
        return sorted({t for t in terms if isinstance(t, URIRef)}, key=self.name)

    def card(self, term: URIRef, rows: list[tuple[str, str]]) -> str:
        en, ja = self.label(term, "en"), self.label(term, "ja")
        comment = self.g.value(term, RDFS.comment)
        cues = sorted(str(c) for c in self.g.objects(term, AG.cue))
        rows = [
            ("IRI", f"<code>{escape(str(term))}</code>"),
            ("label", f'{escape(en)} <span class="ja" lang="ja">{escape(ja)}</span>'),
            *rows,
        ]
        if cues:
            rows.append(("cue words", escape(", ".join(cues))))
        body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
        return (
            f'<section class="term" id="{escape(self.name(term))}">'
            f"<h3>{escape(self.name(term))}</h3>"
            f"<p>{escape(str(comment or ''))}</p><dl>{body}</dl></section>"
        )

    def refs(self, terms: Iterable[object]) -> str:
        return ", ".join(self.ref(t) for t in self.sorted_terms(terms))

    # --- sections ---------------------------------------------------------------------
    def classes(self) -> str:
        g = self.g
        classes = self.sorted_terms(t for t in g.subjects(RDF.type, OWL.Class) if t in self.local)
        children: dict[URIRef, list[URIRef]] = {c: [] for c in classes}
        roots = []
        for c in classes:
            parents = [
                p for p in g.objects(c, RDFS.subClassOf) if isinstance(p, URIRef) and p in children
            ]
            for p in parents:
                children[p].append(c)
            if not parents:
                roots.append(c)

        def tree(nodes: list[URIRef]) -> str:
            items = "".join(
                f"<li>{self.ref(n)} {escape(self.label(n, 'en'))}"
                f"{tree(children[n]) if children[n] else ''}</li>"
                for n in nodes
            )
            return f'<ul class="tree">{items}</ul>'

        cards = "".join(
            self.card(
                c,
                [
                    ("subclass of", self.refs(g.objects(c, RDFS.subClassOf))),
                    ("subclasses", self.refs(children[c])),
                    ("close match", self.refs(g.objects(c, SKOS.closeMatch))),
                    ("domain of", self.refs(g.subjects(RDFS.domain, c))),
                    ("range of", self.refs(g.subjects(RDFS.range, c))),
                ],
            )
            for c in classes
        )
        return f'<h2 id="classes">Classes</h2><h3>Hierarchy</h3>{tree(roots)}{cards}'

    def properties(self) -> str:
        g, out = self.g, []
        for title, kind in _KINDS:
            props = self.sorted_terms(g.subjects(RDF.type, kind))
            anchor = title.split()[0].lower()
            out.append(f'<h2 id="{anchor}-properties">{title}</h2>')
            for p in props:
                chars = "".join(
                    f"<span>{n}</span>" for c, n in _CHARACTERISTICS if (p, RDF.type, c) in g
                )
                inverse = {*g.objects(p, OWL.inverseOf), *g.subjects(OWL.inverseOf, p)}
                notes = [
                    f"{self.ref(a)} {escape(str(v))}"
                    for a, v in g.predicate_objects(p)
                    if a in self.local
                    and (a, RDF.type, OWL.AnnotationProperty) in g
                    and a != AG.cue
                ]
                out.append(
                    self.card(
                        p,
                        [
                            ("domain", self.refs(g.objects(p, RDFS.domain))),
                            ("range", self.refs(g.objects(p, RDFS.range))),
                            (
                                "characteristics",
                                f'<span class="chars">{chars}</span>' if chars else "",
                            ),
                            ("inverse of", self.refs(inverse)),
                            ("sub-property of", self.refs(g.objects(p, RDFS.subPropertyOf))),
                            ("sub-properties", self.refs(g.subjects(RDFS.subPropertyOf, p))),
                            ("annotations", "; ".join(sorted(notes))),
                        ],
                    )
                )
        return "".join(out)

    def datatypes(self) -> str:
        types = self.sorted_terms(
            t for t in self.g.subjects(RDF.type, RDFS.Datatype) if t in self.local
        )
        return '<h2 id="datatypes">Datatypes</h2>' + "".join(self.card(t, []) for t in types)

    def values(self) -> str:
        g = self.g
        groups = [
            (c, self.sorted_terms(g.subjects(RDF.type, c)))
            for c in self.sorted_terms(g.subjects(RDFS.subClassOf, SKOS.Concept))
        ]
        groups += [
            (s, self.sorted_terms(g.subjects(SKOS.inScheme, s)))
            for s in self.sorted_terms(g.subjects(RDF.type, SKOS.ConceptScheme))
        ]
        out = ['<h2 id="values">Controlled values</h2>']
        for group, members in groups:
            rows = "".join(
                f'<tr id="{escape(self.name(m))}">'
                f"<td><code>{escape(str(g.value(m, SKOS.notation) or ''))}</code></td>"
                f"<td>{self.ref(m)}</td><td>{escape(self.label(m, 'en'))}</td>"
                f'<td lang="ja">{escape(self.label(m, "ja"))}</td>'
                f"<td>{escape(str(g.value(m, AG.precedence) or ''))}</td>"
                f"<td>{escape(str(g.value(m, RDFS.comment) or ''))}</td></tr>"
                for m in members
            )
            out.append(
                f"<h3>{self.ref(group)} {escape(self.label(group, 'en'))}</h3>"
                "<table><tr><th>notation</th><th>term</th><th>label</th><th>ja</th>"
                f"<th>precedence</th><th>meaning</th></tr>{rows}</table>"
            )
        return "".join(out)

    def render(self) -> str:
        g, onto = self.g, URIRef(BASE + "ontology")
        title = self.label(onto, "en") or "ontology"
        head = [
            ("IRI", f"<code>{escape(str(onto))}</code>"),
            ("version", escape(str(g.value(onto, OWL.versionInfo) or ""))),
            ("licence", self.refs(g.objects(onto, DCTERMS.license))),
        ]
        nav = "".join(
            f'<a href="#{a}">{t}</a>'
            for a, t in (
                ("classes", "Classes"),
                ("object-properties", "Object properties"),
                ("datatype-properties", "Datatype properties"),
                ("annotation-properties", "Annotation properties"),
                ("datatypes", "Datatypes"),
                ("values", "Controlled values"),
            )
        )
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
            f'<h1>{escape(title)}</h1><p class="ja" lang="ja">{escape(self.label(onto, "ja"))}</p>'
            f"<p>{escape(str(g.value(onto, RDFS.comment) or ''))}</p><dl>"
            + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in head if v)
            + f"</dl><nav>{nav}</nav>{self.classes()}{self.properties()}{self.datatypes()}"
            f"{self.values()}</body></html>\n"
        )


def ontology_html(ontology: Ontology) -> str:
    """The ontology's documentation as one self-contained HTML page.

    >>> from graph.ontology import load_ontology
    >>> page = ontology_html(load_ontology())
    >>> 'id="dependsOn"' in page and "依存する" in page
    True
    """
    return _Page(ontology).render()
