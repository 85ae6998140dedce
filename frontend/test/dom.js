// The little of a browser the app's modules touch when imported (ui.js reads a media query),
// so their pure functions can be tested in Node. Import it before the modules under test.

globalThis.window ??= { matchMedia: () => ({ matches: false, addEventListener() {} }), location: { search: '' } };
globalThis.document ??= { documentElement: { lang: 'vi' } };
