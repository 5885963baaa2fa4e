// A list loaded a page at a time with « Voir plus » (opaque cursors, {items, next} answers).
//
// The API hands out a cursor whenever a page is full, even when nothing follows, so a `next`
// does not prove there is more. The pager reads the next page ahead of time: « Voir plus » is
// offered only once that page is known to hold something, and then shows it at once.

import { getPage } from "../lib/api.js";
import { byId } from "../lib/dom.js";
import { plural, pluralWord } from "../lib/formats.js";
import { emptyHint, setLoaded, setLoading, showError } from "./states.js";

const MAX_EMPTY_HOPS = 5;

/** Cursor pagination over `fetchPage(cursor) -> {items, next}`; no DOM. */
export class Pager {
  constructor(fetchPage) {
    this.fetchPage = fetchPage;
    this.items = [];
    this.ahead = null; // {cursor, settled, page?, error?}
  }

  /** Loads the first page and returns its items. */
  async first() {
    const page = await this.#filled(undefined);
    this.items = page.items;
    this.#readAhead(page.next);
    return page.items;
  }

  /** Resolves true when another non-empty page exists (or could not be checked). */
  async hasMore() {
    const ahead = this.ahead;
    if (!ahead) return false;
    await ahead.settled;
    return ahead.error ? true : ahead.page.items.length > 0;
  }

  /** Adds the next page and returns its items ([] when there is none). */
  async more() {
    const ahead = this.ahead;
    if (!ahead) return [];
    await ahead.settled;
    const page = ahead.error ? await this.#filled(ahead.cursor) : ahead.page;
    if (this.ahead !== ahead) return [];
    this.items = [...this.items, ...page.items];
    this.#readAhead(page.next);
    return page.items;
  }

  /** Forgets shown items (e.g. deleted ones); cursors are unaffected. */
  remove(predicate) {
    this.items = this.items.filter((item) => !predicate(item));
  }

  #readAhead(cursor) {
    if (!cursor) {
      this.ahead = null;
      return;
    }
    const ahead = { cursor };
    ahead.settled = this.#filled(cursor).then(
      (page) => {
        ahead.page = page;
      },
      (error) => {
        ahead.error = error;
      },
    );
    this.ahead = ahead;
  }

  /** A page with items, following cursors past empty pages; {items: [], next: null} at the end. */
  async #filled(cursor) {
    let page = await this.fetchPage(cursor);
    for (let hops = 0; !page.items.length && page.next && hops < MAX_EMPTY_HOPS; hops += 1) {
      page = await this.fetchPage(page.next);
    }
    return page.items.length ? page : { items: [], next: null };
  }
}

/**
 * The status line of a list: "20 remboursements affichés pour Inès Lambert." and, after
 * « Voir plus », "20 remboursements de plus. 40 remboursements affichés."
 */
export function listStatus({ count, added = null, noun, shown, suffix = "" }) {
  const total = `${plural(count, ...noun)} ${pluralWord(count, ...shown)}${suffix}.`;
  return added ? `${plural(added, ...noun)} de plus. ${total}` : total;
}

/**
 * Wires a paged list. Options:
 * - list, status, error, more: ids (or elements) of the mount, its status line, its alert
 *   region and its « Voir plus » button;
 * - path and query() (or fetchPage(cursor)) to load pages, pageSize;
 * - render(items) -> Node: the whole list; item: selector of one item in it;
 * - noun, shown: [singular, plural] for the status line, suffix() appended to it;
 * - empty() -> {message, hint}; loading: text while the first page loads.
 */
export function pagedList(options) {
  const list = byId(options.list);
  const status = byId(options.status);
  const errorBox = byId(options.error);
  const more = byId(options.more);
  const itemSelector = options.item ?? "li";
  const suffix = () => options.suffix?.() ?? "";
  const fetchPage =
    options.fetchPage ??
    ((cursor) => getPage(options.path, { query: { ...options.query?.(), limit: options.pageSize }, cursor }));
  let pager = null;
  let loading = false;

  function render() {
    if (pager.items.length) list.replaceChildren(options.render(pager.items));
    else {
      const { hint } = options.empty();
      list.replaceChildren(...[emptyHint(hint)].filter(Boolean));
    }
  }

  function announce(added = null) {
    const count = pager.items.length;
    if (!count) setLoaded(list, status, options.empty().message, { empty: true });
    else setLoaded(list, status, listStatus({ count, added, noun: options.noun, shown: options.shown, suffix: suffix() }));
  }

  async function offerMore(current) {
    more.hidden = true;
    const hasMore = await current.hasMore();
    if (current === pager) more.hidden = !hasMore;
  }

  function focusItem(index) {
    const item = list.querySelectorAll(itemSelector)[index];
    if (!item) return;
    const target = item.querySelector("a[href], button") ?? item;
    if (target === item) item.setAttribute("tabindex", "-1");
    target.focus();
  }

  async function reload() {
    const current = new Pager(fetchPage);
    pager = current;
    loading = true;
    errorBox?.replaceChildren();
    more.hidden = true;
    setLoading(list, status, options.loading);
    try {
      await current.first();
      if (current !== pager) return;
      render();
      announce();
      offerMore(current);
    } catch (error) {
      if (current !== pager) return;
      setLoaded(list, status, "");
      list.replaceChildren();
      showError(errorBox, error, { onRetry: reload });
    } finally {
      if (current === pager) loading = false;
    }
  }

  async function loadMore() {
    const current = pager;
    if (loading || !current) return;
    loading = true;
    more.disabled = true;
    errorBox?.replaceChildren();
    setLoading(list, status, options.loadingMore ?? options.loading);
    const before = current.items.length;
    try {
      const added = await current.more();
      if (current !== pager) return;
      render();
      announce(added.length);
      focusItem(before);
      offerMore(current);
    } catch (error) {
      if (current !== pager) return;
      setLoaded(list, status, "");
      showError(errorBox, error, { onRetry: loadMore });
    } finally {
      if (current === pager) {
        loading = false;
        more.disabled = false;
      }
    }
  }

  more.addEventListener("click", loadMore);

  return {
    reload,
    get items() {
      return pager?.items ?? [];
    },
    /** Re-renders the shown items (e.g. when the layout changes). */
    rerender() {
      if (pager && !loading) render();
    },
    /** Removes items from the list; returns the index the first removed one had. */
    remove(predicate) {
      const index = pager.items.findIndex(predicate);
      pager.remove(predicate);
      render();
      announce();
      return index;
    },
    focusItem,
  };
}
