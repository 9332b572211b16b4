/* Material for MkDocs' page helpers (its partials/javascripts/base.html, 9.8.1), as a file: the site's
   Content-Security-Policy allows scripts from the site only, none inline. The scope is the site's root,
   the folder above this file's assets/. */
/* eslint-disable no-var */
var __md_scope = new URL("..", document.currentScript.src);
var __md_hash = function (value) {
  return [].reduce.call(value, function (hash, c) { return (hash << 5) - hash + c.charCodeAt(0); }, 0);
};
var __md_get = function (key, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  return JSON.parse(storage.getItem(scope.pathname + "." + key));
};
var __md_set = function (key, value, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  try { storage.setItem(scope.pathname + "." + key, JSON.stringify(value)); } catch (error) { /* full or off */ }
};
