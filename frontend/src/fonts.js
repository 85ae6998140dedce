// Noto Sans, bundled from npm (@fontsource/noto-sans, OFL): Latin and Vietnamese subsets only.
//
// MapLibre >= 5.11 draws labels locally with TinySDF when the style has no `glyphs` URL,
// using each `text-font` entry as a CSS font family and sniffing the weight from its name.
// So the label font is registered under the exact family name used in `text-font`, and it
// must be loaded before the first label is drawn: glyphs drawn with a fallback font are cached.

import latin400 from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import latin600 from '@fontsource/noto-sans/files/noto-sans-latin-600-normal.woff2?url';
import viet400 from '@fontsource/noto-sans/files/noto-sans-vietnamese-400-normal.woff2?url';
import viet600 from '@fontsource/noto-sans/files/noto-sans-vietnamese-600-normal.woff2?url';

/** Family of the page's text. */
export const UI_FONT = 'Noto Sans';
/** Family (and `text-font` stack) of map labels; "SemiBold" makes MapLibre ask for weight 600. */
export const LABEL_FONT = 'Noto Sans SemiBold';

const LATIN = 'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,'
  + 'U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';
const VIETNAMESE = 'U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,'
  + 'U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB';

const FACES = [
  [UI_FONT, '400', latin400, LATIN],
  [UI_FONT, '400', viet400, VIETNAMESE],
  [UI_FONT, '600', latin600, LATIN],
  [UI_FONT, '600', viet600, VIETNAMESE],
  [LABEL_FONT, '600', latin600, LATIN],
  [LABEL_FONT, '600', viet600, VIETNAMESE],
];

/** Sample covering both subsets, so that loading it fetches every file labels need. */
const SAMPLE = 'Xã Thu Bồn Duy Nghĩa Điện Bàn ƯƠ';

/** Register the bundled faces and wait until the label font can be drawn. */
export async function loadFonts() {
  for (const [family, weight, url, unicodeRange] of FACES) {
    const face = new FontFace(family, `url(${url}) format('woff2')`, {
      weight, style: 'normal', display: 'swap', unicodeRange,
    });
    document.fonts.add(face);
  }
  await Promise.all([
    document.fonts.load(`600 16px "${LABEL_FONT}"`, SAMPLE),
    document.fonts.load(`400 16px "${UI_FONT}"`, SAMPLE),
    document.fonts.load(`600 16px "${UI_FONT}"`, SAMPLE),
  ]);
}
