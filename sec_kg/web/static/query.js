// Enhances the query page with YASGUI when it is installed (npm ci --prefix sec_kg/web);
// without it (or without JavaScript) the plain form above still runs queries.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Yasgui) return;
  var holder = document.getElementById("yasgui");
  var endpoint = holder.dataset.endpoint;
  var local = JSON.parse(holder.dataset.local);
  var examples = JSON.parse((document.getElementById("example-queries") || {}).textContent || "[]");
  var form = document.getElementById("plain-query");
  var terms = fetch(holder.dataset.terms)
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .catch(function () { return { classes: [], properties: [], prefixes: {} }; });  // then nothing to complete
  useLocalCompleters(terms);
  useLocalLinks(local);
  var yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: form.elements.query.value },
    yasr: { prefixes: local.prefixes },
  });
  form.hidden = true;
  var results = document.getElementById("results");
  if (results) results.hidden = true;
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var chosen = examples.find(function (e) { return e.name === link.dataset.example; });
      if (!chosen) return;
      event.preventDefault();
      yasgui.getTab().getYasqe().setValue(chosen.text);
    });
  });
  window.secKgYasgui = yasgui;
});

// The editor completes prefixes, classes and properties from this server's /query/terms.json only:
// YASQE's own "class" and "property" completers ask a remote service (LOV), which a public page must not.
function useLocalCompleters(terms) {
  var Yasqe = Yasgui.Yasqe;
  var noStorage = function () { return undefined; };  // the terms may change with the data: never kept in the browser
  // prefixed names resolve with the query's PREFIX lines and, as on the server, the predefined prefixes
  var resolve = function (yasqe, token) {
    return terms.then(function (t) {
      var declared = Object.assign({}, t.prefixes, yasqe.getPrefixesFromQuery());
      var text = token.string.trim();
      var colon = text.indexOf(":");
      if (text[0] !== "<" && colon >= 0 && declared[text.slice(0, colon)] !== undefined) {
        token.tokenPrefix = text.slice(0, colon + 1);
        token.tokenPrefixUri = declared[text.slice(0, colon)];
        token.autocompletionString = token.tokenPrefixUri + text.slice(colon + 1);
      } else {
        token.autocompletionString = text.replace(/^</, "").replace(/>$/, "");
      }
      return token;
    });
  };
  var completer = function (from, name, kind) {
    Yasqe.forkAutocompleter(from, {
      name: name,
      bulk: false,
      autoShow: true,
      persistenceId: noStorage,
      preProcessToken: function (yasqe, token) { return token; },  // resolved by get, once the terms are here
      get: function (yasqe, token) {
        return resolve(yasqe, token).then(function (resolved) {
          return terms.then(function (t) {
            return t[kind].filter(function (iri) { return iri.indexOf(resolved.autocompletionString) === 0; });
          });
        });
      },
    }, false);
  };
  completer("class", "local-classes", "classes");
  completer("property", "local-properties", "properties");
  Yasqe.forkAutocompleter("prefixes", {
    name: "local-prefixes",
    persistenceId: noStorage,
    get: function () {
      return terms.then(function (t) {
        return Object.keys(t.prefixes).sort().map(function (p) { return p + ": <" + t.prefixes[p] + ">"; });
      });
    },
  }, false);
  Yasqe.defaults.autocompleters = ["variables", "local-prefixes", "local-classes", "local-properties"];
}

// Result cells for people: an IRI is shown by its label when the query returns one (?x with ?xLabel; the label
// column is then hidden), else as a prefixed name, and an IRI this site serves links to its page here.
function useLocalLinks(local) {
  var Yasr = Yasgui.Yasr;
  var Table = Yasr.plugins.table;
  var namespaces = Object.keys(local.prefixes).sort(function (a, b) {
    return local.prefixes[b].length - local.prefixes[a].length;  // the longest namespace names an IRI
  });
  var escape = function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  var shortName = function (iri) {
    var prefix = namespaces.find(function (p) { return iri.indexOf(local.prefixes[p]) === 0; });
    return prefix === undefined ? "<" + iri + ">" : prefix + ":" + iri.slice(local.prefixes[prefix].length);
  };
  var href = function (iri) {
    var served = Object.keys(local.routes).find(function (ns) {
      var rest = iri.slice(ns.length);
      return iri.indexOf(ns) === 0 && (ns.slice(-1) === "/" || rest === "" || rest[0] === "#");
    });
    if (served !== undefined) return local.routes[served] + iri.slice(served.length);
    return /^https?:\/\//i.test(iri) ? iri : "";  // never a javascript: or data: link
  };
  class LocalTable extends Table {
    getColumns() {
      var columns = super.getColumns();
      if (!this.yasr.results) return columns;
      var variables = this.yasr.results.getVariables();
      variables.forEach(function (variable, i) {
        var column = columns[i + 1];  // column 0 numbers the rows
        var labelAt = variables.indexOf(variable + "Label");
        if (variable.slice(-5) === "Label" && variables.indexOf(variable.slice(0, -5)) >= 0) column.visible = false;
        var shown = column.render;
        column.render = function (data, type, row, meta) {
          if (type !== "display" || data === "" || data.type !== "uri") return shown(data, type, row, meta);
          var label = labelAt >= 0 && row[labelAt + 1] ? row[labelAt + 1].value : null;
          var link = href(data.value);
          var text = escape(label || shortName(data.value));
          var title = ' title="' + escape(data.value) + '"';
          return "<div><span>" + (link ? '<a class="iri" href="' + escape(link) + '"' + title + ">" + text + "</a>"
                                        : "<span" + title + ">" + text + "</span>") + "</span></div>";
        };
      });
      return columns;
    }
  }
  Yasr.registerPlugin("table", LocalTable);
}
