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
 * A query that finds little, or that has characters the index does not know as part of any word, is also read by
 * sound: search/sounds.json (scripts/site/search_sounds.py: each character's tone-less pinyin, the index's words by
 * their pinyin) is fetched once, every stretch of the query that is not an index word but sounds like one is replaced
 * by it ("底保" → "低保", "公祖房" → "公租房"), and the pages of the query so corrected come first. The correction is
 * announced on the BroadcastChannel "search-sound" ({query, sound}), where javascripts/search.js offers it as
 * "您要找的是不是：低保".
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

const FEW = 3;             // a query with fewer pages than this "finds little" and is read by sound as well
const SOUND_COMBINATIONS = 64;   // readings tried per stretch of the query (characters with several readings)

const send = self.postMessage.bind(self);
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("search-sound") : null;
let engine = null;
let sounds = null;
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

/* search/sounds.json → { of: character → its readings, terms: pinyin → index words, known: every index word, longest }. */
function loadSounds() {
  if (!sounds)
    sounds = fetchJSON("search/sounds.json").then(t => {
      const of = new Map();
      for (const [reading, chars] of Object.entries(t.chars))
        for (const c of chars) { if (!of.has(c)) of.set(c, []); of.get(c).push(reading); }
      const terms = new Map(Object.entries(t.terms));
      const known = new Set([].concat(...terms.values()));
      let longest = 2;
      for (const word of known) longest = Math.max(longest, word.length);
      return { of, terms, known, longest };
    }).catch(err => { sounds = null; throw err; });
  return sounds;
}

/* The index word a stretch of characters sounds like (its first reading that is a word's), or null. */
function soundsLike(stretch, s) {
  let keys = [""];
  for (const c of stretch) {
    const readings = s.of.get(c);
    if (!readings) return null;
    keys = [].concat(...keys.map(k => readings.map(r => k ? k + " " + r : r))).slice(0, SOUND_COMBINATIONS);
  }
  for (const key of keys) {
    const words = s.terms.get(key);
    if (words) return words[0];
  }
  return null;
}

/* The query with its words misheard replaced: the query is cut into the index's words (as for a search); a run of
 * neighbouring pieces (no 虚词 among them) that is no index word itself but sounds like one becomes that word, longest
 * first, left to right. Only runs with a character that belongs to no word count, unless the query found little
 * (`any`). null when nothing changes. */
function byEar(typed, s, v, any) {
  let changed = false;
  const fixed = typed.replace(/\p{sc=Han}+/gu, run => {
    const pieces = cut(run, v);
    let out = "";
    for (let i = 0; i < pieces.length;) {
      let step = 1, word = pieces[i];
      for (let j = pieces.length; j > i + 1 || (j === i + 1 && pieces[i].length > 1); j--) {
        const part = pieces.slice(i, j);
        if (part.some(p => v.stop.has(p))) continue;
        const stretch = part.join("");
        if (stretch.length > s.longest || s.known.has(stretch)) continue;
        if (!any && !part.some(p => p.length === 1)) continue;
        const like = soundsLike(stretch, s);
        if (like) { step = j - i; word = like; changed = true; break; }
      }
      out += word;
      i += step;
    }
    return out;
  });
  return changed && fixed !== typed ? fixed : null;
}

/* Characters of the query that belong to no word the index knows (single characters the rewrite drops). */
function strays(typed, v) {
  return typed.toLowerCase().split(PUNCT).some(part => [...part.matchAll(/\p{sc=Han}+/gu)].some(m =>
    cut(m[0], v).some(token => token.length === 1 && !v.stop.has(token))));
}

/* The answer to a typed query; read by sound too when it finds little or has stray characters. */
async function search(ask, typed, v) {
  const query = rewrite(typed, v);
  let result = query === null ? { type: RESULT, data: { items: [] } } : await answer(ask, query, typed, v);
  let heard = null;
  if ([...typed.trim()].length > 1 && (result.data.items.length < FEW || strays(typed, v))) {
    heard = byEar(typed.trim().toLowerCase(), await loadSounds(), v, result.data.items.length < FEW);
    const again = heard && rewrite(heard, v);
    if (again) {
      const better = await answer(ask, again, heard, v);
      const page = group => String(group[0] && group[0].location).split("#")[0];
      const seen = new Set(better.data.items.map(page));
      result = { ...better, data: { ...better.data, items: [...better.data.items, ...result.data.items.filter(g => !seen.has(page(g)))] } };
    }
    if (!result.data.items.length) heard = null;
  }
  if (channel) channel.postMessage({ query: typed, sound: heard });
  return result;
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
    send(await search(ask, String(message.data), v));
  }).catch(err => {
    console.warn("search:", err);
    engine = null;                         // e.g. offline for a moment: the next query tries again
    send({ type: RESULT, data: { items: [] } });
  });
});
