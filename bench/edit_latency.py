#!/usr/bin/env python3
"""Edit-to-rendered time of `notis serve` (issue 5), measured from outside like a browser would.

    python3 bench/edit_latency.py --url http://127.0.0.1:PORT/ --file SITE/content/nyheter/X.md --repeat 5

Opens the live-reload stream (/__notis/livereload), then `--repeat` times: changes the title of
the news item in --file, and measures from just before the write until the `data: reload` event
arrives; then fetches the item's page and checks that it shows the new title. Restores the file
at the end. Prints one line per edit and `median_ms=…` last. Standard library only.
"""

import argparse
import os
import re
import socket
import statistics
import sys
import time
import urllib.parse
import urllib.request

EVENTS_PATH = "/__notis/livereload"


class Events:
    """The server-sent events of notis serve, read line by line with a deadline."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.sendall(
            "GET {} HTTP/1.1\r\nHost: {}:{}\r\nAccept: text/event-stream\r\n\r\n".format(
                EVENTS_PATH, host, port).encode())
        self.buffer = b""
        status = self.line(timeout)
        if not status.startswith("HTTP/1.1 200"):
            sys.exit("edit_latency.py: the event stream answered {!r}".format(status))
        while self.line(timeout).strip():
            pass
        # The first comment (": notis") means the stream is live and the watcher is running.
        while not self.line(timeout).startswith(":"):
            pass

    def line(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no event within {} s".format(timeout))
            self.sock.settimeout(left)
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the event stream closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8", "replace").rstrip("\r")

    def next_data(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            line = self.line(max(0.001, deadline - time.monotonic()))
            if line.startswith("data:"):
                return line[5:].strip()

    def drain(self, quiet):
        """Reads events until none comes for `quiet` seconds; returns their data."""
        seen = []
        while True:
            try:
                seen.append(self.next_data(quiet))
            except TimeoutError:
                return seen


def page_path(base_path, file):
    name = os.path.basename(file)[: -len(".md")]
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", name)
    section = os.path.basename(os.path.dirname(file))
    return "{}{}/{}/".format(base_path, urllib.parse.quote(section), urllib.parse.quote(slug))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the URL notis serve printed")
    parser.add_argument("--file", required=True, help="a news item's .md file in the served site")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for one event")
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    host, port = url.hostname, url.port
    base_path = url.path or "/"
    with open(args.file, encoding="utf-8") as handle:
        original = handle.read()
    match = re.search(r'^title: "(.*)"$', original, re.MULTILINE)
    if not match:
        sys.exit("edit_latency.py: no title line in {}".format(args.file))
    target = "http://{}:{}{}".format(host, port, page_path(base_path, args.file))

    events = Events(host, port, args.timeout)
    times = []
    try:
        for number in range(1, args.repeat + 1):
            title = "{} (ändring {})".format(match.group(1), number)
            text = original.replace(match.group(0), 'title: "{}"'.format(title), 1)
            started = time.perf_counter()
            with open(args.file, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            data = events.next_data(args.timeout)
            elapsed = time.perf_counter() - started
            if data != "reload":
                sys.exit("edit_latency.py: edit {} gave the event {!r}".format(number, data))
            extra = events.drain(0.5)
            with urllib.request.urlopen(target, timeout=args.timeout) as response:
                html = response.read().decode("utf-8", "replace")
            escaped = title.replace("&", "&amp;")
            if "<h1>{}</h1>".format(escaped) not in html:
                sys.exit("edit_latency.py: {} does not show the new title after the reload".format(target))
            times.append(elapsed * 1000)
            print("edit {}: {:.0f} ms{}".format(
                number, elapsed * 1000, " (+{} more events)".format(len(extra)) if extra else ""))
    finally:
        with open(args.file, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(original)
    try:
        events.next_data(args.timeout)
    except (TimeoutError, ConnectionError):
        pass
    print("median_ms={:.0f}".format(statistics.median(times)))


if __name__ == "__main__":
    main()
