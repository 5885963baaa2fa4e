// The camera scan's PDF: loaded with import() on the first « Terminer et joindre » only, so
// pdf-lib (about 180 KB of gzip) never weighs on a page's first load.
//
// Each page is reduced in the browser (longest side, JPEG quality) and put on an A4 page in
// the orientation of the photo. When the whole document is heavier than the upload limit, the
// next, stronger reduction is tried; past the last one the caller is told the smallest size.

// The package's own ES bundle (pako inlined): its CommonJS parts would otherwise bring
// esbuild's interop helpers into a chunk every page loads.
import { PDFDocument } from "pdf-lib/dist/pdf-lib.esm.js";
import { drawTurned, jpegBytes } from "./images.js";

/** From the sharpest to the lightest: a printed invoice stays legible at the last one. */
export const REDUCTIONS = [
  { longest: 1600, quality: 0.8 },
  { longest: 1600, quality: 0.6 },
  { longest: 1280, quality: 0.55 },
  { longest: 1024, quality: 0.5 },
];
const A4 = [595.28, 841.89]; // points
const MARGIN = 12;

async function assemble(pages, reduction, title) {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setCreator("Espace Adhérent - appareil photo");
  pdf.setProducer("Espace Adhérent");
  for (const { bitmap, rotation } of pages) {
    const canvas = drawTurned(bitmap, rotation, reduction.longest);
    const image = await pdf.embedJpg(await jpegBytes(canvas, reduction.quality));
    const [width, height] = canvas.width > canvas.height ? [A4[1], A4[0]] : A4;
    const scale = Math.min((width - 2 * MARGIN) / image.width, (height - 2 * MARGIN) / image.height);
    const page = pdf.addPage([width, height]);
    page.drawImage(image, {
      x: (width - image.width * scale) / 2,
      y: (height - image.height * scale) / 2,
      width: image.width * scale,
      height: image.height * scale,
    });
  }
  return pdf.save();
}

/**
 * `pages`: [{bitmap, rotation}] in order. Resolves {bytes, reduction} with the first reduction
 * whose PDF weighs at most `maxBytes`, or {bytes: null, smallest} (bytes of the lightest try).
 */
export async function scanPdf(pages, { maxBytes, title }) {
  let smallest = Infinity;
  for (const reduction of REDUCTIONS) {
    const bytes = await assemble(pages, reduction, title);
    if (bytes.length <= maxBytes) return { bytes, reduction };
    smallest = Math.min(smallest, bytes.length);
  }
  return { bytes: null, smallest };
}
