/** A PEM private key is a few kilobytes; anything much larger was picked by mistake. */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Reads a user-picked file as UTF-8 text with FileReader, entirely in the browser: the file's
 * bytes are never sent anywhere.
 */
export function readFileAsText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}
