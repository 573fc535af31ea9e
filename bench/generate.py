#!/usr/bin/env python3
"""Deterministic benchmark corpus for notis (and the same corpus as a Hugo site).

    python3 bench/generate.py --items 10000 --out /tmp/notis-10k [--hugo /tmp/hugo-10k] [--seed 1]

Writes a notis site (site.yaml with base_url https://example.se/, a news section `nyheter`
with page_size 10) of N Swedish news items of 300-800 words with headings, lists and links
between items (.md links), each with 2-4 of 40 topics and a date within 15 years (2011-2025).

With --hugo, writes the same items as a Hugo site with equivalent front matter (title, date,
tags, summary, plus slug so the URLs match and keywords for Hugo's related content), links as
{{< ref >}} shortcodes, and minimal layouts doing the work notis does: a single page with 4
related items (.Site.RegularPages.Related on tags + keywords), a section list paginated by 10,
taxonomy pages for tags, an RSS feed per list page and a sitemap.

Standard library only; the same --items and --seed give byte-identical files.
"""

import argparse
import datetime
import os
import random
import sys

TOPICS = [
    "vaccination", "primärvård", "psykisk hälsa", "barnhälsovård", "elevhälsa", "äldreomsorg",
    "akutsjukvård", "ambulans", "cancervård", "diabetes", "digitala vårdtjänster", "e-hälsa",
    "förlossningsvård", "hjärtsjukvård", "infektioner", "journalsystem", "kompetensförsörjning",
    "kvalitetsregister", "läkemedel", "mödrahälsovård", "nära vård", "patientsäkerhet",
    "personcentrerad vård", "rehabilitering", "samverkan", "sjuksköterskor", "smittskydd",
    "specialistvård", "tandvård", "tillgänglighet", "vårdcentraler", "vårdgaranti", "väntetider",
    "forskning", "utbildning", "beroendevård", "habilitering", "folkhälsa", "krisberedskap",
    "arbetsmiljö",
]

# Words that come with a topic, so texts about the same topic are also similar as texts.
TOPIC_WORDS = {
    topic: words.split()
    for topic, words in zip(
        TOPICS,
        [
            "vaccin dos sprutor skydd influensa", "vårdcentralen husläkare besök listning jour",
            "ångest depression samtal terapeut stöd", "BVC föräldrar spädbarn tillväxt hembesök",
            "skolsköterskan elever skolläkare kurator hälsosamtal", "hemtjänsten boende demens anhöriga trygghet",
            "akuten triage väntrum larm traumateam", "ambulansen utryckning prehospital larmcentralen helikopter",
            "tumör strålbehandling cytostatika screening onkologi", "insulin blodsocker glukos fotvård kost",
            "appen videobesök inloggning chatten egenvård", "plattformen digitalisering data integration inloggning",
            "förlossningen barnmorska graviditet kejsarsnitt eftervård", "hjärtat infarkt kardiologi EKG stent",
            "bakterier antibiotika resistens hygien utbrott", "journalen systemet införandet inloggning behörighet",
            "rekrytering bemanning karriär specialistutbildning lön", "registret indikatorer uppföljning jämförelser data",
            "läkemedlen recept apotek förskrivning biverkningar", "MVC graviditet barnmorskan föräldrastöd screening",
            "hemmet mobila team kommunen närhet omställning", "avvikelser risker vårdskador händelseanalys rutiner",
            "delaktighet samtal mål vårdplan överenskommelse", "träning fysioterapeut arbetsterapeut hjälpmedel återgång",
            "kommunerna överenskommelse gemensamma rutiner nätverk", "sköterskor bemanning schema specialistsjuksköterska vidareutbildning",
            "smittspårning provtagning utbrott karantän vaccin", "kliniken remisser specialister operation mottagning",
            "tandläkare munhälsa tandhygienist kariesprevention folktandvården", "ramper teckenspråk syntolkning lättläst webben",
            "vårdcentralerna mottagningar öppettider listning telefon", "garantin dagar besök behandling uppföljning",
            "köerna operationer besök kötider uppföljning", "studien forskare resultat universitetet publicering",
            "kurser handledning utbildningen studenter praktik", "missbruk alkohol spelberoende mottagning behandling",
            "funktionsnedsättning barnhabilitering vuxenhabilitering stöd insatser", "levnadsvanor motion kost tobak jämlikhet",
            "beredskap övning lager kris reservrutiner", "arbetsmiljön stress sjukfrånvaro skyddsombud medarbetare",
        ],
    )
}

SUBJECTS = [
    "Regionen", "Vårdcentralen", "Sjukhuset", "Kommunen", "Hälso- och sjukvårdsnämnden",
    "Förvaltningen", "Barnkliniken", "Primärvården", "Psykiatrin", "Ledningsgruppen",
    "Projektgruppen", "Arbetsgruppen", "Nätverket", "Programkontoret", "Vårdförbundet",
    "Patientnämnden", "Folkhälsoenheten", "Smittskyddsenheten", "Akutmottagningen", "Länets kommuner",
    "Medarbetarna", "Verksamhetschefen", "Styrgruppen", "Forskarna", "Sjuksköterskorna",
    "Läkarna", "Barnmorskorna", "Fysioterapeuterna", "Samordnarna", "Regiondirektören",
]

VERBS = [
    "startar", "inför", "utvecklar", "förbättrar", "utvärderar", "prövar", "förstärker", "samordnar",
    "följer upp", "planerar", "genomför", "presenterar", "beslutar om", "satsar på", "bygger ut",
    "förenklar", "ser över", "förbereder", "avslutar", "förlänger", "öppnar", "breddar", "granskar",
    "tar fram", "sprider", "testar", "inleder", "stärker", "samlar", "redovisar",
]

OBJECTS = [
    "ett nytt arbetssätt", "en gemensam rutin", "en digital tjänst", "ett pilotprojekt",
    "en ny mottagning", "ett utbildningsprogram", "en handlingsplan", "ett samarbete",
    "en uppföljning", "en kartläggning", "ett stöd för anhöriga", "en telefonlinje",
    "ett mobilt team", "en kunskapsbank", "en enkät", "ett nätverk", "en vägledning",
    "ett forskningsprojekt", "en ny vårdkedja", "en kvalitetsrapport", "en satsning",
    "ett införande", "en gemensam plan", "ett avtal", "en modell för samverkan",
    "ett nytt uppdrag", "en kampanj", "ett webbinarium", "en konferens", "ett nytt system",
]

ADJECTIVES = [
    "nya", "gemensamma", "regionala", "lokala", "nationella", "digitala", "tidiga", "bättre",
    "tydligare", "enklare", "säkrare", "jämlika", "samordnade", "hållbara", "långsiktiga",
    "viktiga", "kommande", "fortsatta", "förebyggande", "personcentrerade",
]

NOUNS = [
    "patienter", "invånare", "barn", "unga", "äldre", "familjer", "medarbetare", "chefer",
    "vårdnadshavare", "kommuner", "verksamheter", "mottagningar", "avdelningar", "rutiner",
    "arbetssätt", "insatser", "resultat", "behov", "resurser", "kunskaper", "erfarenheter",
    "riktlinjer", "förutsättningar", "möjligheter", "utmaningar", "mål", "vårdförlopp",
    "besök", "kontakter", "samtal", "remisser", "vårdplaner", "underlag", "rapporter",
]

ADVERBIALS = [
    "under våren", "under hösten", "i hela länet", "på flera orter", "från och med januari",
    "efter sommaren", "i samarbete med kommunerna", "tillsammans med patientföreningarna",
    "inom ramen för programmet", "under de kommande åren", "redan i år", "på sikt",
    "i första hand", "steg för steg", "enligt planen", "så snart som möjligt",
    "i nära dialog med medarbetarna", "på ett likvärdigt sätt", "med stöd av forskningen",
    "utifrån invånarnas behov",
]

CONNECTIVES = [
    "Dessutom", "Samtidigt", "Därför", "Enligt planen", "Till att börja med", "Framöver",
    "Efter utvärderingen", "Som ett första steg", "På sikt", "I dag",
]

DISCUSS = ["diskuterar", "lyfter", "utreder", "uppmärksammar", "beskriver", "besvarar", "kartlägger"]

QUOTES = [
    "Det här är ett viktigt steg för oss", "Vi ser redan tydliga resultat",
    "Målet är att ingen ska behöva vänta i onödan", "Vi vill göra det enklare för invånarna",
    "Samverkan är nyckeln till en bättre vård", "Det handlar om att använda resurserna klokt",
]

HEADINGS = [
    "Bakgrund", "Så går det till", "Vad händer nu?", "Det här ändras", "Resultat hittills",
    "Fakta", "Tidplan", "Vem berörs?", "Så påverkas du", "Nästa steg", "Mer information",
]

TITLE_NOUNS = [
    "vården", "mottagningen", "samverkan", "arbetet", "stödet", "tillgängligheten",
    "uppföljningen", "bemanningen", "kvaliteten", "utbildningen", "tjänsten", "satsningen",
]

FIRST_DAY = datetime.date(2011, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)


def slugify(text):
    folded = []
    for ch in text.lower():
        if ch in "åä":
            folded.append("a")
        elif ch == "ö":
            folded.append("o")
        elif ch == "é":
            folded.append("e")
        elif ch.isascii() and ch.isalnum():
            folded.append(ch)
        else:
            folded.append("-")
    return "-".join(part for part in "".join(folded).split("-") if part)


def yaml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Item:
    __slots__ = ("index", "date", "title", "slug", "file", "topics", "summary", "keywords", "links", "blocks")


def sentence(rng, topics):
    words = [w for t in topics for w in TOPIC_WORDS[t]]
    kind = rng.random()
    if kind < 0.45:
        text = "{} {} {} för {} {} {}.".format(
            rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(ADJECTIVES),
            rng.choice(NOUNS), rng.choice(ADVERBIALS))
    elif kind < 0.75:
        text = "{} {} {} frågor om {} och {} {}.".format(
            rng.choice(CONNECTIVES), rng.choice(DISCUSS), rng.choice(SUBJECTS).lower(),
            rng.choice(words), rng.choice(ADJECTIVES), rng.choice(NOUNS))
    elif kind < 0.9:
        text = "Arbetet med {} berör {} {} och {} {}.".format(
            rng.choice(words), rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(words),
            rng.choice(ADVERBIALS))
    else:
        text = "– {}, säger {} {}.".format(
            rng.choice(QUOTES), rng.choice(["projektledaren", "verksamhetschefen", "samordnaren",
                                             "regionrådet", "chefläkaren", "enhetschefen"]),
            rng.choice(["Anna Lindqvist", "Erik Johansson", "Maria Berg", "Johan Nilsson",
                        "Sara Öberg", "Karin Åkesson", "Ali Hassan", "Lena Björk"]))
    return text


def word_count(text):
    return len(text.split())


def make_items(count, seed):
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    items = []
    for index in range(count):
        item = Item()
        item.index = index
        item.date = FIRST_DAY + datetime.timedelta(days=rng.randrange(span + 1))
        item.topics = rng.sample(TOPICS, rng.randint(2, 4))
        main = item.topics[0]
        item.title = "{} {} {} inom {}".format(
            rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(TITLE_NOUNS), main)
        item.slug = "{}-{}".format(slugify(item.title), index + 1)
        item.file = "{}-{}.md".format(item.date.isoformat(), item.slug)
        item.summary = sentence(rng, item.topics)
        words = [w for t in item.topics for w in TOPIC_WORDS[t]]
        item.keywords = sorted(set(rng.sample(words, min(3, len(words)))))
        # Links to up to three other items; the target is resolved when writing.
        item.links = [rng.randrange(count) for _ in range(rng.randint(1, 3))] if count > 1 else []
        item.links = [t for t in item.links if t != index]
        target_words = rng.randint(300, 800)
        blocks = []
        total = 0
        headings = rng.sample(HEADINGS, 4)
        paragraph_no = 0
        while total < target_words:
            if paragraph_no > 0 and paragraph_no % 3 == 0 and headings:
                blocks.append(("h", headings.pop()))
            if paragraph_no == 2:
                entries = [sentence(rng, item.topics).rstrip(".") for _ in range(rng.randint(3, 5))]
                blocks.append(("ul", entries))
                total += sum(word_count(e) for e in entries)
            paragraph = " ".join(sentence(rng, item.topics) for _ in range(rng.randint(3, 6)))
            blocks.append(("p", paragraph))
            total += word_count(paragraph)
            paragraph_no += 1
        item.blocks = blocks
        items.append(item)
    return items


def body(item, items, link):
    out = []
    link_slots = list(item.links)
    for kind, value in item.blocks:
        if kind == "h":
            out.append("## " + value)
        elif kind == "ul":
            out.append("\n".join("- " + entry for entry in value))
        else:
            if link_slots:
                target = items[link_slots.pop()]
                value += " Läs också {}.".format(link(target))
            out.append(value)
    return "\n\n".join(out) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_notis(out, items):
    write(os.path.join(out, "site.yaml"), "\n".join([
        "# Benchmark corpus made by bench/generate.py.",
        'title: "Nyheter från Region Test"',
        'base_url: "https://example.se/"',
        "language: sv",
        'organisation: "Region Test"',
        "news_section: nyheter",
        "menu: [nyheter]",
        "sections:",
        "  nyheter:",
        "    page_size: 10",
        "    default_kind: news",
        "",
    ]))
    write(os.path.join(out, "content", "_index.md"),
          '---\ntitle: "Nyheter från Region Test"\nsummary: "Startsidan för benchmarkwebbplatsen."\n---\n\n'
          "Här finns [alla nyheter](nyheter/_index.md).\n")
    write(os.path.join(out, "content", "nyheter", "_index.md"),
          '---\ntitle: "Nyheter"\nsummary: "Nyheter från regionen."\n---\n\nAlla nyheter från regionen.\n')
    for item in items:
        front = "\n".join([
            "---",
            "title: " + yaml_string(item.title),
            "date: " + item.date.isoformat(),
            "summary: " + yaml_string(item.summary),
            "tags: [" + ", ".join(yaml_string(t) for t in item.topics) + "]",
            "---",
            "",
        ])
        text = front + "\n" + body(item, items, lambda t: "[{}]({})".format(t.title, t.file))
        write(os.path.join(out, "content", "nyheter", item.file), text)


HUGO_CONFIG = """# Benchmark corpus made by bench/generate.py (Hugo 0.111 keys).
baseURL = "https://example.se/"
languageCode = "sv"
defaultContentLanguage = "sv"
title = "Nyheter från Region Test"
paginate = 10
enableRobotsTXT = true
disableKinds = []

[taxonomies]
tag = "tags"

[services.rss]
limit = 20

[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML"]
term = ["HTML", "RSS"]

[related]
includeNewer = true
threshold = 1
toLower = false

[[related.indices]]
name = "tags"
weight = 100

[[related.indices]]
name = "keywords"
weight = 80
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p class="ingress">{{ .Params.summary }}</p>
{{ .Content }}
{{ with .Params.tags }}<ul class="topics">{{ range . }}<li><a href="{{ (printf "/tags/%s/" (urlize .)) | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
{{ $related := .Site.RegularPages.Related . | first 4 }}
{{ with $related }}
<section class="related"><h2>Relaterade nyheter</h2>
<ul>{{ range . }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Date.Format "2006-01-02" }}</p><p>{{ .Params.summary }}</p></li>{{ end }}</ul>
</section>
{{ end }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="summary-list">
{{ range .Paginator.Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Date.Format "2006-01-02" }}</p><p>{{ .Params.summary }}</p>
<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></li>
{{ end }}
</ul>
<nav class="pagination">
{{ with .Paginator.Prev }}<a rel="prev" href="{{ .URL }}">Föregående</a>{{ end }}
{{ range .Paginator.Pagers }}<a href="{{ .URL }}">{{ .PageNumber }}</a> {{ end }}
{{ with .Paginator.Next }}<a rel="next" href="{{ .URL }}">Nästa</a>{{ end }}
</nav>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Content }}
<h2>Senaste nyheterna</h2>
<ul>{{ range first 5 (where .Site.RegularPages "Section" "nyheter") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Sidan finns inte</h1><p><a href="{{ "/" | relURL }}">Till startsidan</a></p>{{ end }}
""",
}


# Term pages (one tag) are paginated lists like the section.
HUGO_LAYOUTS["_default/term.html"] = HUGO_LAYOUTS["_default/list.html"]


def write_hugo(out, items):
    write(os.path.join(out, "config.toml"), HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(out, "layouts", *name.split("/")), text)
    write(os.path.join(out, "content", "_index.md"),
          '---\ntitle: "Nyheter från Region Test"\n---\n\nHär finns [alla nyheter]({{< ref "nyheter" >}}).\n')
    write(os.path.join(out, "content", "nyheter", "_index.md"),
          '---\ntitle: "Nyheter"\nsummary: "Nyheter från regionen."\n---\n\nAlla nyheter från regionen.\n')
    for item in items:
        front = "\n".join([
            "---",
            "title: " + yaml_string(item.title),
            "date: " + item.date.isoformat(),
            "slug: " + item.slug,
            "summary: " + yaml_string(item.summary),
            "tags: [" + ", ".join(yaml_string(t) for t in item.topics) + "]",
            "keywords: [" + ", ".join(yaml_string(k) for k in item.keywords) + "]",
            "---",
            "",
        ])
        text = front + "\n" + body(
            item, items, lambda t: '[{}]({{{{< ref "{}" >}}}})'.format(t.title, t.file))
        write(os.path.join(out, "content", "nyheter", item.file), text)


def fresh_dir(path):
    if os.path.exists(path):
        if not os.path.isdir(path) or os.listdir(path):
            sys.exit("generate.py: {} exists and is not an empty directory".format(path))
    os.makedirs(path, exist_ok=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, required=True, help="number of news items")
    parser.add_argument("--out", required=True, help="directory of the notis site (new or empty)")
    parser.add_argument("--hugo", help="also write the corpus as a Hugo site here (new or empty)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    if args.items < 1:
        parser.error("--items must be at least 1")
    items = make_items(args.items, args.seed)
    fresh_dir(args.out)
    write_notis(args.out, items)
    if args.hugo:
        fresh_dir(args.hugo)
        write_hugo(args.hugo, items)
    words = sum(word_count(" ".join(v if isinstance(v, str) else " ".join(v) for _, v in i.blocks)) for i in items)
    print("{} nyheter, {} ord, {} ämnen → {}{}".format(
        len(items), words, len(TOPICS), args.out, " och " + args.hugo if args.hugo else ""))


if __name__ == "__main__":
    main()
