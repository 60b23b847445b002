// Search page: queries the Pagefind index that the build wrote under /pagefind/
// (and, on a large site, its later shards, listed in the form's data-merge).
// Everything is loaded from this site's own origin; nothing leaves it.
// Without JavaScript the page says so and points to people and topics.
const form = document.querySelector("form[data-site-root]");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const root = form.dataset.siteRoot; // "/" or "/sub/" under a base URL with a path
const bundles = [`${root}pagefind/`, ...(form.dataset.merge || "").split(" ").filter(Boolean)];
const LIMIT = 20;
const DEBOUNCE_MS = 250;
let loading = null; // one load, however many searches start before it ends
let latest = 0; // the newest query's number: an older one's results are dropped

// Each shard is searched by a Pagefind of its own, so that its scores can be
// put on the whole site's scale before they are merged (weights(), below).
async function load() {
  return Promise.all(bundles.map(async (bundle) => {
    const [pf, pages] = await Promise.all([import(`${bundle}pagefind.js`), pageCount(bundle)]);
    await pf.options({ baseUrl: root });
    return { pf, pages };
  }));
}

async function pageCount(bundle) {
  if (bundles.length === 1) return 0; // one index: no scale to put its scores on
  const response = await fetch(`${bundle}pagefind-entry.json`);
  if (!response.ok) throw new Error(`${bundle}: ${response.status}`);
  const entry = await response.json();
  return Object.values(entry.languages).reduce((n, language) => n + language.page_count, 0);
}

function engine() {
  if (loading === null) {
    loading = load().catch((error) => {
      loading = null; // the next search tries again
      throw error;
    });
  }
  return loading;
}

// Pagefind ranks by BM25, whose inverse document frequency (IDF) of a word
// each shard computes from its own pages: a word that one half of the site
// uses more often weighs less there, and that half's pages would rank lower
// than the same pages in one index. Each shard's scores are multiplied by
// the site's IDF over the shard's, summed over the query's words, from the
// pages each shard has and finds (tests/browser/test_search_shards.py checks
// the result against one index).
function idf(pages, matching) {
  return Math.log(1 + (pages - matching + 0.5) / (matching + 0.5));
}

async function weights(q, shards, found) {
  const words = q.split(/\s+/).filter(Boolean);
  const matching = async (word) => Promise.all(shards.map(async ({ pf }) => (await pf.search(word)).results.length));
  const counts = words.length === 1 ? [found.map((f) => f.results.length)] : await Promise.all(words.map(matching));
  const pages = shards.reduce((n, shard) => n + shard.pages, 0);
  return shards.map((shard, i) => {
    let site = 0;
    let own = 0;
    for (const perShard of counts) {
      if (perShard[i] === 0) continue;
      site += idf(pages, perShard.reduce((n, count) => n + count, 0));
      own += idf(shard.pages, perShard[i]);
    }
    return own > 0 ? site / own : 1;
  });
}

// The query's results over every shard, best first; null if a newer query superseded it.
async function find(q, debounce) {
  const mine = ++latest;
  const shards = await engine();
  if (shards.length === 1) {
    return debounce ? shards[0].pf.debouncedSearch(q, {}, DEBOUNCE_MS) : shards[0].pf.search(q);
  }
  if (debounce) await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
  if (mine !== latest) return null;
  const found = await Promise.all(shards.map(({ pf }) => pf.search(q)));
  const scale = await weights(q, shards, found);
  if (mine !== latest) return null;
  const results = found.flatMap((f, i) => f.results.map((result) => ({ result, score: result.score * scale[i] })))
    .sort((a, b) => b.score - a.score)
    .map(({ result }) => result);
  return { results };
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
  let found;
  let pages;
  try {
    found = await find(q, debounce);
    if (found === null) return; // a newer query superseded this one
    pages = await Promise.all(found.results.slice(0, LIMIT).map((r) => r.data()));
  } catch (error) {
    // The index is missing (a dev server still building it) or could not be fetched.
    list.replaceChildren();
    status.textContent = "Search could not load. Try again in a moment.";
    console.warn("search:", error);
    return;
  }
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
