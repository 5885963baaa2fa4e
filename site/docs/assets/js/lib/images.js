// Pictures in the browser: decoding a photo (its EXIF orientation applied) and drawing it
// turned and reduced onto a canvas. Used by the camera scan for its thumbnails and its PDF.

/** Thrown when a file the camera gave is not a picture the browser can read. */
export class NotAnImage extends Error {}

/** The picture in `file`, decoded; NotAnImage when it is not one. */
export async function decodeImage(file) {
  if (file.type && !file.type.startsWith("image/")) throw new NotAnImage(file.name);
  try {
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    // An older Safari refuses the options (or createImageBitmap of a Blob): an <img> decodes
    // it too, from a data: URL (the CSP allows data: images, not blob:).
    return decodeWithImage(file);
  }
}

function decodeWithImage(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new NotAnImage(file.name));
    reader.onload = () => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () => reject(new NotAnImage(file.name));
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  });
}

/**
 * A canvas holding `source` turned by `rotation` degrees (a multiple of 90) with its longest
 * side at most `longest` pixels, on white (a PNG's transparency would turn black in a JPEG).
 */
export function drawTurned(source, rotation, longest) {
  const scale = Math.min(1, longest / Math.max(source.width, source.height));
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const quarter = rotation % 180 !== 0;
  const canvas = document.createElement("canvas");
  canvas.width = quarter ? height : width;
  canvas.height = quarter ? width : height;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingQuality = "high";
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((rotation * Math.PI) / 180);
  context.drawImage(source, -width / 2, -height / 2, width, height);
  return canvas;
}

/** The canvas as JPEG bytes. */
export function jpegBytes(canvas, quality) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) reject(new Error("canvas.toBlob gave nothing"));
      else blob.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject);
    }, "image/jpeg", quality);
  });
}
