/* The site's search worker: the theme's own search (Lunr over the index the build cut into words with jieba), started
 * on the first search instead of on every page view.
 *
 * A page view loads this small file and nothing else of the search. The first query fetches the index
 * (search/pages.json), the vocabulary (search/words.json, from datapackage/vocabulary.csv) and the theme's search
 * engine, hands the index to the engine and then answers every query through it. Nothing is sent to another host.
 *
 * Before a query reaches the engine it is cut into the words the index knows (longest match), words that carry no
 * meaning in a query are dropped ("怎么", "申请", "什么", "我", "的" — the vocabulary's 虚词, and any single character
 * left over), and a general everyday word brings its plan term along ("看病" → "医疗"). A query with nothing left
 * finds nothing, so the page can offer its ways on instead of a list of noise.
 *
 * URL parameters (set by javascripts/search.js): theme = the theme's worker script, base = the site's root.
 */
"use strict";

const params = new URL(self.location.href).searchParams;
const THEME = params.get("theme");
const BASE = params.get("base");
const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;   // the theme's SearchMessageType
const KEEP = "\u3007";    // a Han character no index word contains: ends each word so the engine keeps it whole
const HAN = /\p{sc=Han}/u;
const PUNCT = /[\s,，。？?！!、；;：:“”"'‘’（）()《》<>\[\]【】~～·•\-—_/\\|]+/;

const send = self.postMessage.bind(self);
let engine = null;
let queue = Promise.resolve();

function fetchJSON(path) {
  return fetch(new URL(path, BASE)).then(res => {
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  });
}

/* The index words, the vocabulary's words and the query words: the dictionary a query is cut with. */
function vocabulary(index, words) {
  const separator = new RegExp(index.config.separator, "g");
  const dict = new Set();
  for (const doc of index.docs) {
    for (const field of ["title", "text", "words"])
      for (const word of String(doc[field] || "").replace(/<[^>]+>/g, " ").toLowerCase().split(separator))
        if (word) dict.add(word);
    for (const tag of doc.tags || []) dict.add(tag.toLowerCase());
  }
  for (const word of [...words.stop, ...Object.keys(words.general)]) dict.add(word);
  const titles = new Map();   // a page's title as typed → the page: a full title finds its own page first
  for (const doc of index.docs)
    if (!doc.location.includes("#")) titles.set(String(doc.title).replace(/\u200b|<[^>]+>/g, "").toLowerCase(), doc.location);
  let longest = 1;
  for (const word of dict) if (word.length > longest && word.length <= 12) longest = word.length;
  return { dict, longest, titles, stop: new Set(words.stop), general: words.general };
}

/* Forward maximum matching: the longest dictionary word at each position, else one character. */
function cut(run, v) {
  const out = [];
  for (let i = 0; i < run.length;) {
    let n = Math.min(v.longest, run.length - i);
    while (n > 1 && !v.dict.has(run.slice(i, i + n))) n--;
    out.push(run.slice(i, i + n));
    i += n;
  }
  return out;
}

/* A typed query → { all, any } for the engine (pages with every word the person typed, then pages with any of
 * them or their plan terms; `all` is null for a single word), or null when nothing in the query carries meaning. */
function rewrite(query, v) {
  const text = query.trim().toLowerCase();
  if ([...text].length === 1) return { all: null, any: text };   // one character typed on purpose: as it is
  const tokens = [];
  for (const part of text.split(PUNCT))
    for (const m of part.matchAll(/(\p{sc=Han}+)|([^\p{sc=Han}]+)/gu))
      tokens.push(...(m[1] ? cut(m[1], v) : [m[2]]));
  const typed = [], kept = [];
  for (const token of tokens) {
    if (!token || v.stop.has(token) || (HAN.test(token) && token.length === 1) || typed.includes(token)) continue;
    typed.push(token);
    for (const word of [token, ...(v.general[token] || [])])
      if (!kept.includes(word)) kept.push(word);
  }
  if (!kept.length) return null;
  const term = word => HAN.test(word) ? word + KEEP : word;
  return {
    all: typed.length > 1 ? typed.map(word => "+" + term(word) + "*").join(" ") : null,
    any: kept.map(term).join(" ")
  };
}

/* The page whose title is the query first, then pages with every typed word, then the rest; each page once. */
async function answer(ask, query, typed, v) {
  const page = group => String(group[0] && group[0].location).split("#")[0];
  const any = await ask({ type: QUERY, data: query.any });
  const all = query.all ? (await ask({ type: QUERY, data: query.all })).data.items : [];
  const seen = new Set(all.map(page));
  const items = [...all, ...any.data.items.filter(group => !seen.has(page(group)))];
  const own = v.titles.get(typed.trim().toLowerCase());
  const at = own === undefined ? -1 : items.findIndex(group => page(group) === own);
  if (at > 0) items.unshift(...items.splice(at, 1));
  return { ...any, data: { ...any.data, items } };
}

/* Load the index, the vocabulary and the theme's engine once; `ask` passes one message to the engine. */
function start() {
  if (engine) return engine;
  engine = Promise.all([fetchJSON("search/pages.json"), fetchJSON("search/words.json")]).then(([index, words]) => {
    const replies = [];
    let handler = null;
    const themeDir = new URL(".", THEME).href;
    const load = self.importScripts.bind(self);
    const listen = self.addEventListener.bind(self);
    self.importScripts = (...urls) => load(...urls.map(url => new URL(url, themeDir).href));
    self.addEventListener = (type, fn, ...rest) => type === "message" ? (handler = fn) : listen(type, fn, ...rest);
    self.postMessage = message => { const reply = replies.shift(); if (reply) reply(message); };
    load(THEME);
    self.addEventListener = listen;
    const ask = data => new Promise(resolve => { replies.push(resolve); handler({ data }); });
    return ask({ type: SETUP, data: { config: index.config, docs: index.docs, options: { suggest: false } } })
      .then(() => ({ ask, v: vocabulary(index, words) }));
  });
  return engine;
}

addEventListener("message", ev => {
  const message = ev.data || {};
  if (message.type === SETUP) {          // the theme's page sends only the settings: ready at once, load nothing yet
    send({ type: READY });
    return;
  }
  if (message.type !== QUERY) return;
  queue = queue.then(async () => {
    if (!String(message.data || "").trim()) return send({ type: RESULT, data: { items: [] } });
    const { ask, v } = await start();
    const query = rewrite(String(message.data), v);
    send(query === null ? { type: RESULT, data: { items: [] } } : await answer(ask, query, String(message.data), v));
  }).catch(err => {
    console.warn("search:", err);
    engine = null;                         // e.g. offline for a moment: the next query tries again
    send({ type: RESULT, data: { items: [] } });
  });
});
