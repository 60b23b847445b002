// Search page: queries the Pagefind index that the build wrote under /pagefind/
// (and, on a large site, its later shards, listed in the form's data-merge).
// Everything is loaded from this site's own origin; nothing leaves it.
// Without JavaScript the page says so and points to people and topics.
const form = document.querySelector("form[data-site-root]");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = form.dataset.siteRoot; // "/" or "/sub/" under a base URL with a path
const LIMIT = 20;
let pagefind = null; // one load, however many searches start before it ends

async function load() {
  const pf = await import(`${root}pagefind/pagefind.js`);
  await pf.options({ baseUrl: root });
  // A large site's index is built in shards side by side: one search over them all.
  for (const bundle of (form.dataset.merge || "").split(" ").filter(Boolean)) {
    await pf.mergeIndex(bundle, { baseUrl: root });
  }
  return pf;
}

function engine() {
  if (pagefind === null) {
    pagefind = load().catch((error) => {
      pagefind = null; // the next search tries again
      throw error;
    });
  }
  return pagefind;
}

// Pagefind's excerpt is escaped text with <mark> around the hits. Rebuild it
// from text nodes and <mark> only, so no other markup can reach the page.
function excerpt(html) {
  const p = document.createElement("p");
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function item(page) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = page.url;
  a.textContent = page.meta.title || page.url;
  const heading = document.createElement("h2");
  heading.append(a);
  li.append(heading);
  const kind = [page.meta.kind, page.meta.date].filter(Boolean).join(" · ");
  if (kind) {
    const meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = kind;
    li.append(meta);
  }
  li.append(excerpt(page.excerpt));
  return li;
}

async function run(query, debounce) {
  const q = query.trim();
  if (!q) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  const pf = await engine();
  const found = debounce ? await pf.debouncedSearch(q, {}, 250) : await pf.search(q);
  if (found === null) return; // a newer query superseded this one
  const pages = await Promise.all(found.results.slice(0, LIMIT).map((r) => r.data()));
  list.replaceChildren(...pages.map(item));
  const n = found.results.length;
  status.textContent = n === 0 ? `No results for “${q}”.`
    : `${n} result${n === 1 ? "" : "s"} for “${q}”${n > LIMIT ? `, showing the first ${LIMIT}` : ""}.`;
}

function remember(q) {
  const url = new URL(window.location.href);
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember(input.value.trim());
  run(input.value, false);
});
input.addEventListener("input", () => run(input.value, true));

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial, false);
}
