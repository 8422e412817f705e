// Item, lot, customer and supplier pickers: a text box (forms/widgets.py) becomes a combobox
// (WAI-ARIA 1.2, list autocomplete) searching /pickers/<kind>s/ as one types. A choice writes
// its SKU, lot code or name, which the server resolves with or without this script (a party's
// box also posts the id: names repeat). Keys: Arrows open and move, Enter chooses and goes on,
// Escape closes (twice: empties), Tab takes the highlighted option. No inline script (CSP).
// The caption under the box (words from the server) is written on a choice, on a refused
// POST and on a change of store. Rows added later (formsets) are enhanced too.
(function () {
  "use strict";
  var DELAY = 150; // ms after the last key before asking the server
  var counter = 0;
  // Captions are refreshed one request at a time: a 50-line order does not send 50 at once.
  var refreshing = Promise.resolve();

  function enhance(root) {
    var inputs = root.querySelectorAll ? root.querySelectorAll("[data-picker-input]") : [];
    Array.prototype.forEach.call(inputs, setUp);
  }

  function setUp(input) {
    if (input.dataset.pickerReady) return;
    var box = input.closest("[data-picker]");
    if (!box) return;
    input.dataset.pickerReady = "1";
    counter += 1;
    var list = document.createElement("ul");
    list.id = (input.id || "picker") + "-listbox-" + counter;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    // Not "<label> options": the box alone answers to its label. A line's says it (forms.common).
    list.setAttribute("aria-label", input.dataset.listboxLabel || "Matches");
    list.hidden = true;
    var status = element("div", "visually-hidden", "");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var hint = box.querySelector(".picker-nojs");
    if (hint) hint.hidden = true;
    input._picker = {
      box: box, list: list, status: status, timer: null, seq: 0, results: [], active: -1,
      stale: false, // the list answers what the box held before the last key
      chooseOnAnswer: false, // Enter came before the answer: choose from it when it comes
      ahead: "", // keys typed meanwhile (a quantity after a scan): for the box chosen next
    };
    // The server renders a chosen option by name only (not knowing the store its figures
    // are for): ask for its caption, where it has figures (an item with a store, a lot).
    var store = sibling(input, box.dataset.pickerStore);
    var priced = box.dataset.picker === "item" && document.querySelector("[data-sale-total]");
    if (box.dataset.picker === "lot" || priced || (store && store.value)) refresh(input);
  }

  // The form field named `field` next to this picker: the same formset row first
  // ("lines-3-" + field), then the form itself (a header field such as the store).
  function sibling(input, field) {
    if (!field || !input.form) return null;
    var prefix = input.name.slice(0, input.name.lastIndexOf("-") + 1);
    function find(name) { return input.form.querySelector("[name='" + name + "']"); }
    return find(prefix + field + "_q") || find(prefix + field) || find(field);
  }

  // The search for what the box holds, or null for a lot picker whose item is unknown.
  function searchUrl(input) {
    var box = input._picker.box;
    var params = new URLSearchParams({ q: input.value.trim() });
    if (box.dataset.pickerScope) params.set("scope", box.dataset.pickerScope);
    var store = sibling(input, box.dataset.pickerStore);
    if (store && store.value) params.set("store", store.value);
    if (box.dataset.picker === "lot") {
      var item = sibling(input, box.dataset.pickerItem);
      if (item && item.dataset.pickerId) params.set("item", item.dataset.pickerId);
      else if (item && item.value.trim()) params.set("sku", item.value.trim());
      else return null;
    }
    return box.dataset.pickerUrl + "?" + params.toString();
  }

  function ask(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  function query(input) {
    var state = input._picker;
    var url = searchUrl(input);
    if (!url) {
      carry(input, input);
      return show(input, [], "Choose the item first.");
    }
    var seq = ++state.seq;
    ask(url)
      .then(function (data) {
        if (seq !== state.seq) return; // a later search has been sent since
        state.stale = false;
        show(input, data.results, data.results.length ? "" : "No match.");
        var entered = state.chooseOnAnswer; // Enter waited for this answer, here or not
        var here = document.activeElement === input;
        var ahead = carry(input, null); // keys typed meanwhile, for the box after a choice
        if (entered && data.results.length) {
          state.results = data.results; // not shown if the box was left: chosen all the same
          var exact = named(data.results, "", input.value.trim());
          choose(input, exact ? data.results.indexOf(exact) : 0);
          if (here) advance(input);
          var next = document.activeElement;
          carry(input, next.form === input.form ? next : null, ahead);
        } else if (entered && here) {
          input.select(); // no match: the code stays, selected, for the next scan to replace
        }
      })
      .catch(function () {
        if (seq !== state.seq) return;
        carry(input, input);
        show(input, [], "Search failed; type the code and submit.");
      });
  }

  // Keys typed after Enter, before its answer, go into the box chosen next (over its selected
  // text), or back into this one without a choice; with no target, they are only taken.
  function carry(input, target, text) {
    var state = input._picker;
    state.chooseOnAnswer = false;
    text = (text || "") + state.ahead;
    state.ahead = "";
    if (!target || !text) return text;
    try { target.setRangeText(text, target.selectionStart, target.selectionEnd, "end"); }
    catch (e) { target.value += text; } // a box without a text selection
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The option a box names: the one chosen (its id), else its text exactly, else in any case.
  function named(results, id, typed) {
    function first(test) { return results.filter(test)[0]; }
    if (id) return first(function (o) { return String(o.id) === id; });
    return first(function (o) { return o.value === typed; }) ||
      first(function (o) { return o.value.toLowerCase() === typed.toLowerCase(); });
  }

  // The caption under the box once `option` is chosen: written by the server
  // (views/pickers.py), so its wording and units are Python's alone.
  function caption(input, option) {
    var picked = input._picker.box.querySelector(".picker-picked");
    if (picked) picked.textContent = option.caption;
    input._picker.option = option; // its price, for a sale's running total (sales.js)
    input.dispatchEvent(new Event("picker-option", { bubbles: true }));
  }

  // Re-read the chosen option (marked with data-picker-id) and write its caption, without
  // opening the list; an item or lot shown by its text alone is found by that exact SKU or
  // code, as the server finds it (not a customer or supplier: names repeat). After a store
  // change (`moved`), a caption no option backs is dropped, not left with the old figures.
  function refresh(input, moved) {
    var kind = input._picker.box.dataset.picker;
    var byText = kind === "item" || kind === "lot";
    refreshing = refreshing
      .then(function () {
        // Read when its turn comes: the box may have changed while the others were asked.
        var typed = input.value.trim();
        var id = input.dataset.pickerId || "";
        var url = typed && (id || byText) ? searchUrl(input) : null;
        if (!url) return;
        return ask(url).then(function (data) {
          // Typed over, chosen again or cleared meanwhile: that caption is no longer wanted.
          if (input.value.trim() !== typed || (input.dataset.pickerId || "") !== id) return;
          var option = named(data.results, id, typed);
          var picked = input._picker.box.querySelector(".picker-picked");
          if (option) {
            input.dataset.pickerId = String(option.id);
            caption(input, option);
          } else if (moved && picked) {
            picked.textContent = "";
          }
        });
      })
      .catch(function () {}); // the caption the server wrote stays; the next one still runs
  }

  function show(input, results, message) {
    var state = input._picker;
    if (document.activeElement !== input) return; // answered after the user moved on
    state.results = results;
    state.active = -1;
    state.list.textContent = "";
    results.forEach(function (option, index) {
      var li = document.createElement("li");
      li.id = state.list.id + "-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.index = String(index);
      li.appendChild(element("span", "picker-main", option.label));
      if (option.detail) {
        li.appendChild(element("span", "visually-hidden", ", ")); // read between the two
        li.appendChild(element("span", "picker-detail", option.detail));
      }
      state.list.appendChild(li);
    });
    if (message) {
      var note = state.list.appendChild(element("li", "picker-empty", message));
      note.setAttribute("role", "presentation");
    }
    open(input, true);
    state.status.textContent = message || results.length + (results.length === 1 ? " result" : " results");
    // The first option is active, so typing a full SKU (or scanning it) and Enter chooses it.
    if (results.length) move(input, 0);
  }

  function element(tag, className, text) {
    return Object.assign(document.createElement(tag), { className: className, textContent: text });
  }

  function open(input, visible) {
    var state = input._picker;
    state.list.hidden = !visible;
    input.setAttribute("aria-expanded", visible ? "true" : "false");
    if (!visible) {
      input.removeAttribute("aria-activedescendant");
      state.active = -1;
    }
  }

  function move(input, index) {
    var state = input._picker;
    var options = state.list.querySelectorAll("[role=option]");
    if (!options.length) return;
    index = (index + options.length) % options.length;
    Array.prototype.forEach.call(options, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
      li.classList.toggle("active", i === index);
    });
    state.active = index;
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function choose(input, index) {
    var state = input._picker;
    var option = state.results[index];
    if (!option) return;
    input.value = option.value;
    input.dataset.pickerId = String(option.id);
    forget(input, String(option.id));
    caption(input, option);
    open(input, false);
    state.status.textContent = option.label + " chosen.";
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // After Enter chose, on to the next box (app.js), text selected: a second scan goes there.
  function advance(input) { if (window.inventoryNextBox) window.inventoryNextBox(input); }

  // A customer's or supplier's box posts the id chosen too; typing over it forgets it.
  function forget(input, id) {
    var chosen = input._picker.box.querySelector("[data-picker-chosen]");
    if (chosen) chosen.value = id || "";
  }

  // The box no longer names the option chosen (typed over, emptied, Escape): its id, its
  // caption and the lot chosen for it go, so what is shown is what will be posted.
  function unchoose(input) {
    delete input.dataset.pickerId;
    forget(input);
    var picked = input._picker.box.querySelector(".picker-picked");
    if (picked) picked.textContent = "";
    resetDependents(input);
  }

  // A lot belongs to one item: when the item changes, the lot chosen before is forgotten.
  function resetDependents(input) {
    if (!input.form) return;
    var field = input.name.slice(input.name.lastIndexOf("-") + 1).replace(/_q$/, "");
    input.form.querySelectorAll("[data-picker=lot][data-picker-item='" + field + "']").forEach(function (box) {
      var lot = box.querySelector("[data-picker-input]");
      if (!lot || lot === input) return;
      if (sibling(lot, field) !== input) return;
      lot.value = "";
      delete lot.dataset.pickerId;
      var picked = box.querySelector(".picker-picked");
      if (picked) picked.textContent = "";
    });
  }

  function schedule(input) {
    var state = input._picker;
    window.clearTimeout(state.timer);
    state.timer = window.setTimeout(function () { query(input); }, DELAY);
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input._picker) return;
    unchoose(input);
    input._picker.stale = true;
    schedule(input);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    var state = input._picker;
    if (!state) return;
    var expanded = !state.list.hidden;
    if (state.chooseOnAnswer && event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
      event.preventDefault(); // typed before the answer to Enter: see carry()
      state.ahead += event.key;
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        if (!expanded || !state.results.length) {
          query(input);
        } else {
          move(input, state.active + (event.key === "ArrowDown" ? 1 : -1));
        }
        break;
      case "Enter":
        if (state.stale && input.value.trim()) {
          // The list on screen answers what was typed before the last keys (a scanner beats
          // the search: BOLT-M10 listed, BOLT-M8 typed). Ask now; choose from that answer.
          event.preventDefault();
          window.clearTimeout(state.timer);
          state.chooseOnAnswer = true;
          query(input);
        } else if (expanded && state.active >= 0) {
          event.preventDefault(); // choosing is not submitting
          choose(input, state.active);
          advance(input);
        } else if (expanded && !state.results.length && input.value.trim()) {
          event.preventDefault(); // "No match.": a sale would only be refused for it
          input.select(); // and the next scan replaces the code
        }
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          open(input, false);
        } else if (input.value) {
          input.value = "";
          unchoose(input);
          state.status.textContent = "Cleared.";
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
        break;
      case "Tab":
        // The highlighted option answering what the box says is taken on the way out, as
        // Enter would: "hex nut" left in the box would name no item.
        if (expanded && state.active >= 0 && !state.stale) choose(input, state.active);
        open(input, false);
        break;
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field._picker) return resetDependents(field);
    // A store changed: the figures under the pickers that count in it are for another one.
    if (!field.form) return;
    field.form.querySelectorAll("[data-picker-store] [data-picker-input]").forEach(function (input) {
      if (input._picker && sibling(input, input._picker.box.dataset.pickerStore) === field) refresh(input, true);
    });
  });

  // mousedown, not click: it comes before the box loses focus.
  document.addEventListener("mousedown", function (event) {
    var li = event.target.closest && event.target.closest(".picker-list [role=option]");
    if (!li) return;
    event.preventDefault();
    var input = li.closest("[data-picker]").querySelector("[data-picker-input]");
    choose(input, parseInt(li.dataset.index, 10));
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input._picker) return;
    window.clearTimeout(input._picker.timer);
    // Drop an answer still on its way, unless Enter waits for it (a Tab after a quick scan).
    if (!input._picker.chooseOnAnswer) input._picker.seq += 1;
    open(input, false);
  });

  enhance(document);
  // Formset rows come from a <template> (app.js); enhance them as they are added.
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) {
          if (node.matches("[data-picker-input]")) setUp(node);
          enhance(node);
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
