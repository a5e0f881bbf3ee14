// Enhances the query page with YASGUI when it is installed (npm ci --prefix sec_kg/web);
// without it (or without JavaScript) the plain form above still runs queries.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Yasgui) return;
  var holder = document.getElementById("yasgui");
  var endpoint = holder.dataset.endpoint;
  var examples = JSON.parse((document.getElementById("example-queries") || {}).textContent || "[]");
  var form = document.getElementById("plain-query");
  // The "property" and "class" autocompleters ask remote services (LOV); a public page must not.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    yasqe: { value: form.elements.query.value },
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
