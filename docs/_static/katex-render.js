// Typeset every \( \) and \[ \] on the page with the vendored KaTeX; a formula KaTeX cannot read stays visible as source.
document.addEventListener("DOMContentLoaded", function () {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
    ],
    ignoredClasses: ["highlight", "pre"],
    throwOnError: false,
  });
});
