// PurgeCSS over the full Punkt bundle: keep the rules whose selectors name a class, id, element
// or attribute that appears in the portal's templates, its Python (forms, widgets, template tags)
// or its JavaScript. Run from the repository root; see static/vendor/README.md.
module.exports = {
  css: ["tools/css/punkt/pkt.min.css"],
  content: [
    "templates/**/*.html",
    "*/**/*.py",
    "static/js/**/*.js",
  ],
  skippedContentGlobs: [
    "**/node_modules/**",
    ".venv/**",
    "tests/**",
    "**/migrations/**",
    "staticfiles*/**",
    "benchmarks/**",
  ],
  // Classes a template puts together from a fixed prefix and a value ("pkt-alert--{% if ... %}").
  safelist: {
    standard: [/^pkt-alert--(error|warning|success|info)$/],
  },
  // Drop @keyframes and custom properties no kept rule refers to.
  keyframes: true,
  variables: true,
  output: "static/vendor/punkt-css/pkt.subset.css",
};
