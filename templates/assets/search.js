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
const LIMIT = 20; // results shown at a time; "Show more results" adds as many again
const DEBOUNCE_MS = 250;
let loading = null; // one load, however many searches start before it ends
let latest = 0; // the newest search's number: an older one's results are never shown

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

// The query's words as Pagefind reads them: punctuation dropped, lower case.
function queryWords(q) {
  return q.replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "").toLocaleLowerCase().split(/\s+/).filter(Boolean);
}

// A word folded for comparison: no accents, no case, letters and digits only.
function fold(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

// Whether a shard really has a query word. Pagefind matches a word by the
// words that begin with it (its stem); where a shard has none, it takes the
// longest word of the shard that the query word begins with instead ("re" of
// "re-imposing" for "rejoice"), or, with none, leaves the word out of the
// query. One index over the whole site does that only if no page has the
// word. So a shard whose matches for a word are only such stand-ins, while
// another shard has the word, holds no page that one index would list.
async function hasWord(pf, word, plain) {
  if (plain.length === 0) return false;
  if ((await pf.search(`"${word}"`)).results.length > 0) return true; // the word itself
  // Words that begin with it, or a stand-in: read what the first page matched.
  const page = await plain[0].data();
  const words = page.content.split(/\s+/);
  const folded = fold(word);
  const wanted = folded.slice(0, Math.max(3, folded.length - 3));
  return page.locations.some((location) => {
    const matched = words[location] || "";
    return [matched, ...matched.split(/[^\p{L}\p{N}]+/u)].some((part) => fold(part).startsWith(wanted));
  });
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

// For each shard: whether it can hold results of the query, and the factor
// that puts its scores on the whole site's scale. searching is the
// query's own search in each shard: a one-word query's is that word's.
async function weigh(q, shards, searching) {
  const exact = /^\s*".+"\s*$/.test(q); // a phrase: Pagefind matches its words exactly, with no stand-ins
  const words = queryWords(q);
  const counts = await Promise.all(words.map(async (word) => {
    const found = await Promise.all(shards.map(async ({ pf }, i) => {
      const plain = words.length === 1 ? (await searching)[i].results
        : (await pf.search(exact ? `"${word}"` : word)).results;
      return { n: plain.length, real: exact ? plain.length > 0 : await hasWord(pf, word, plain) };
    }));
    // Where any shard has the word, the others' stand-in matches are none.
    const anyReal = found.some((f) => f.real);
    return found.map((f) => ({ n: anyReal && !f.real ? 0 : f.n, out: anyReal && !f.real }));
  }));
  const pages = shards.reduce((n, shard) => n + shard.pages, 0);
  return shards.map((shard, i) => {
    let site = 0;
    let own = 0;
    for (const perShard of counts) {
      if (perShard[i].n === 0) continue;
      site += idf(pages, perShard.reduce((n, count) => n + count.n, 0));
      own += idf(shard.pages, perShard[i].n);
    }
    return { keep: !counts.some((perShard) => perShard[i].out), scale: own > 0 ? site / own : 1 };
  });
}

// The query's results over every shard, best first.
async function find(q) {
  const shards = await engine();
  if (shards.length === 1) return (await shards[0].pf.search(q)).results;
  const searching = Promise.all(shards.map(({ pf }) => pf.search(q)));
  const [found, weights] = await Promise.all([searching, weigh(q, shards, searching)]);
  return found.flatMap((f, i) => (weights[i].keep
    ? f.results.map((result) => ({ result, score: result.score * weights[i].scale })) : []))
    .sort((a, b) => b.score - a.score)
    .map(({ result }) => result);
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

function wait(ms) {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

// Runs one search and shows its results, unless a newer search (or an
// emptied box) has started meanwhile: each await may let one in.
async function run(query, debounce) {
  const mine = ++latest;
  const q = query.trim();
  if (!q) {
    show([], 0, "");
    remember("");
    return;
  }
  let results;
  let pages;
  try {
    if (debounce) await wait(DEBOUNCE_MS);
    if (mine !== latest) return;
    results = await find(q);
    if (mine !== latest) return;
    pages = await Promise.all(results.slice(0, LIMIT).map((r) => r.data()));
  } catch (error) {
    if (mine !== latest) return;
    // The index is missing (a dev server still building it) or could not be fetched.
    show([], 0, "Search could not load. Try again in a moment.");
    console.warn("search:", error);
    return;
  }
  if (mine !== latest) return;
  current = { q, results, mine };
  show(pages, results.length, summary(q, results.length, pages.length));
  remember(q);
}

let current = null; // the search on screen, for "Show more results"

function summary(q, n, shown) {
  if (n === 0) return `No results for “${q}”.`;
  return `${n} result${n === 1 ? "" : "s"} for “${q}”${n > shown ? `, showing the first ${shown}` : ""}.`;
}

function show(pages, n, text) {
  list.replaceChildren(...pages.map(item));
  status.textContent = text;
  more.hidden = pages.length >= n;
}

const more = document.createElement("button");
more.type = "button";
more.className = "search-more";
more.textContent = "Show more results";
more.hidden = true;
list.after(more);
more.addEventListener("click", async () => {
  const shownNow = list.children.length;
  const { q, results, mine } = current;
  let pages;
  try {
    pages = await Promise.all(results.slice(shownNow, shownNow + LIMIT).map((r) => r.data()));
  } catch (error) {
    console.warn("search:", error);
    return;
  }
  if (mine !== latest || list.children.length !== shownNow) return; // another search, or a second click
  const added = pages.map(item);
  list.append(...added);
  status.textContent = summary(q, results.length, list.children.length);
  more.hidden = list.children.length >= results.length;
  added[0]?.querySelector("a")?.focus(); // keyboard users carry on from the first new result
});

// The address says what is on screen, so a reload or the Back button brings it back.
function remember(q) {
  const url = new URL(window.location.href);
  if (q === (url.searchParams.get("q") || "")) return;
  if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(input.value, false);
});
input.addEventListener("input", () => run(input.value, true));

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial, false);
}
