package io.kubescrape.server.admin;

/**
 * The browse UI's stylesheet and script, served as files so pages can forbid inline script (CSP). No framework,
 * no external assets. The script only ever puts cluster text into the page with textContent.
 */
final class UiAssets {
    private UiAssets() {
    }

    static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d2330;background:#fafbfc}
            h1{font-size:1.4em;margin:0 0 .6em}h2{font-size:1.1em}a{color:#0b5cad}
            table{border-collapse:collapse;width:100%;background:#fff}
            th,td{border-bottom:1px solid #e3e6ea;padding:.35em .6em;text-align:left;vertical-align:top}
            th{background:#f0f2f5;font-weight:600}
            .synced{color:#17803d}.stale{color:#b26b00}.error{color:#c0262d}.syncing{color:#6b7280}
            .bad{color:#c0262d}.ok{color:#17803d}.muted{color:#6b7280}
            input[type=search]{font-size:1em;padding:.35em .5em;width:24em;margin:.4em 0 .8em}
            details{background:#fff;border:1px solid #e3e6ea;margin:.3em 0;padding:.3em .6em}
            summary{cursor:pointer}pre{margin:.4em 0;white-space:pre-wrap;word-break:break-all}
            .type{font-size:.85em;background:#eef1f5;border-radius:3px;padding:0 .35em;margin:0 .4em}
            """;

    static final String JS = """
            'use strict';
            function wireFilter(input, items) {
              input.addEventListener('input', () => {
                const q = input.value.trim().toLowerCase();
                for (const item of items()) {
                  item.hidden = q !== '' && !item.textContent.toLowerCase().includes(q);
                }
              });
            }
            function el(tag, cls, text) {
              const e = document.createElement(tag);
              if (cls) e.className = cls;
              if (text !== undefined) e.textContent = text;
              return e;
            }
            function familyOf(name, families) {
              if (families.has(name)) return name;
              for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created', '_info']) {
                if (name.endsWith(suffix) && families.has(name.slice(0, -suffix.length))) {
                  return name.slice(0, -suffix.length);
                }
              }
              return name;
            }
            function renderMetrics(view, text) {
              const families = new Map();
              const get = (n) => {
                if (!families.has(n)) families.set(n, {help: '', type: 'untyped', samples: []});
                return families.get(n);
              };
              for (const line of text.split('\\n')) {
                let m;
                if ((m = line.match(/^# HELP (\\S+) ?(.*)$/))) get(m[1]).help = m[2];
                else if ((m = line.match(/^# TYPE (\\S+) (\\S+)/))) get(m[1]).type = m[2];
                else if (line !== '' && !line.startsWith('#')) {
                  const name = line.match(/^[^{\\s]+/)[0];
                  get(familyOf(name, families)).samples.push(line);
                }
              }
              view.textContent = '';
              for (const [name, f] of families) {
                const d = el('details');
                d.open = families.size < 40;
                const s = el('summary');
                s.append(el('strong', '', name), el('span', 'type', f.type), el('span', 'muted', f.help));
                d.append(s, el('pre', '', f.samples.join('\\n')));
                view.append(d);
              }
              document.getElementById('count').textContent = families.size + ' families';
            }
            function showError(view, text) {
              view.replaceChildren(el('pre', 'bad', text)); // the error replaces the 'loading…' line
              document.getElementById('count').textContent = 'failed';
            }
            document.addEventListener('DOMContentLoaded', () => {
              const filter = document.getElementById('filter');
              const view = document.getElementById('metrics-view');
              if (filter && !view) wireFilter(filter, () => document.querySelectorAll('tbody tr'));
              if (view) {
                fetch(view.dataset.url, {headers: {'Accept': 'text/plain'}})
                  .then(r => r.text().then(t => ({ok: r.ok, status: r.status, t})))
                  .then(({ok, status, t}) => {
                    if (ok) renderMetrics(view, t);
                    else showError(view, status + ' ' + t);
                  })
                  .catch(e => showError(view, 'the response broke off or never came (' + e.message
                      + '); the pod\\'s last scrape on the cluster page says why'));
                wireFilter(filter, () => view.querySelectorAll('details'));
              }
            });
            """;
}
