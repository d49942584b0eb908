// A tiny stand-in for the DOM: just what extractText reads (nodeType, tagName, children,
// attributes, hidden, checkVisibility), so the pure anchoring code runs under Node.
"use strict";

function link(parent, children) {
  let previous = null;
  for (const child of children) {
    child.parentNode = parent;
    if (previous) previous.nextSibling = child;
    else parent.firstChild = child;
    previous = child;
  }
  if (previous) previous.nextSibling = null;
}

function text(data) {
  return { nodeType: 3, data, nextSibling: null, parentNode: null };
}

/** h("p", {class: "x", hidden: true, invisible: true}, "text", h("em", {}, "more")) */
function h(tag, attrs = {}, ...children) {
  const element = {
    nodeType: 1,
    tagName: tag.toUpperCase(),
    firstChild: null,
    nextSibling: null,
    parentNode: null,
    hidden: Boolean(attrs.hidden),
    getAttribute: (name) => (name in attrs && typeof attrs[name] === "string" ? attrs[name] : null),
    checkVisibility: () => !attrs.invisible,
  };
  link(element, children.map((c) => (typeof c === "string" ? text(c) : c)));
  return element;
}

module.exports = { h, text };
