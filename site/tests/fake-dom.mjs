// A few DOM objects, enough for the site's components to run under `node --test` (no browser,
// no dependency): elements with attributes, children, text, listeners, and focus.

class FakeNode {}

class FakeText extends FakeNode {
  constructor(text) {
    super();
    this.textContent = String(text);
  }
}

class FakeElement extends FakeNode {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.children = [];
    this.listeners = {};
    this.hidden = false;
    this.disabled = false;
    this.value = "";
    this.dataset = {};
    this.style = {};
    this.own = "";
    const classes = new Set();
    this.classes = classes;
    this.classList = {
      add: (...names) => names.forEach((name) => classes.add(name)),
      remove: (...names) => names.forEach((name) => classes.delete(name)),
      toggle: (name, on = !classes.has(name)) => (on ? classes.add(name) : classes.delete(name), on),
      contains: (name) => classes.has(name),
    };
  }

  get className() {
    return [...this.classes].join(" ");
  }

  set className(value) {
    this.classes.clear();
    for (const name of String(value).split(/\s+/).filter(Boolean)) this.classes.add(name);
  }

  get id() {
    return this.getAttribute("id") ?? "";
  }

  set id(value) {
    this.setAttribute("id", value);
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  removeAttribute(name) {
    this.attributes.delete(name);
  }

  hasAttribute(name) {
    return this.attributes.has(name);
  }

  append(...nodes) {
    for (const node of nodes) {
      const child = node instanceof FakeNode ? node : new FakeText(node);
      child.parentElement = this;
      this.children.push(child);
    }
  }

  replaceChildren(...nodes) {
    this.children = [];
    this.own = "";
    this.append(...nodes);
  }

  get textContent() {
    return this.own + this.children.map((child) => child.textContent).join("");
  }

  set textContent(value) {
    this.children = [];
    this.own = String(value ?? "");
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  removeEventListener(type, listener) {
    this.listeners[type] = (this.listeners[type] ?? []).filter((known) => known !== listener);
  }

  /** Fires `type` with the given event fields; returns the event. */
  fire(type, fields = {}) {
    const event = { type, target: this, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...fields };
    for (const listener of this.listeners[type] ?? []) listener(event);
    return event;
  }

  click() {
    return this.fire("click");
  }

  focus() {
    globalThis.document.activeElement = this;
  }

  scrollIntoView() {}

  remove() {
    const parent = this.parentElement;
    if (parent) parent.children = parent.children.filter((child) => child !== this);
    this.parentElement = null;
  }

  matches(selector) {
    const [, tag, id, className, attribute, value] = parse(selector);
    return (!tag || this.tagName === tag.toUpperCase()) &&
      (!id || this.id === id) &&
      (!className || this.classList.contains(className)) &&
      (!attribute || (value === undefined ? this.hasAttribute(attribute) : this.getAttribute(attribute) === value));
  }

  closest(selector) {
    for (let node = this; node; node = node.parentElement) if (node.matches(selector)) return node;
    return null;
  }

  /** Every element below, depth first. */
  *all() {
    for (const child of this.children) {
      if (child instanceof FakeElement) {
        yield child;
        yield* child.all();
      }
    }
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  /** Only `tag`, `#id`, `.class`, `[name]` and `[name="value"]`, one of each at most. */
  querySelectorAll(selector) {
    return [...this.all()].filter((element) => element.matches(selector));
  }
}

function parse(selector) {
  const match = selector.match(/^(\w+)?(?:#([\w-]+))?(?:\.([\w-]+))?(?:\[([\w-]+)(?:="([^"]*)")?\])?$/);
  if (!match) throw new Error(`fake DOM: unsupported selector ${selector}`);
  return match;
}

/** Installs a fresh document; returns it. Elements made with `element(tag, {id})` are found by id. */
export function installDom() {
  const body = new FakeElement("body");
  const document = {
    body,
    activeElement: null,
    createElement: (tag) => new FakeElement(tag),
    createTextNode: (text) => new FakeText(text),
    getElementById: (id) => (body.id === id ? body : body.querySelector(`#${id}`)),
    querySelector: (selector) => body.querySelector(selector),
    querySelectorAll: (selector) => body.querySelectorAll(selector),
  };
  globalThis.Node = FakeNode;
  globalThis.document = document;
  return document;
}

/** An element with attributes, appended to `parent` (the body by default). */
export function element(tag, attributes = {}, parent = globalThis.document.body) {
  const made = globalThis.document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "hidden") made.hidden = value;
    else made.setAttribute(name, value);
  }
  parent.append(made);
  return made;
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
