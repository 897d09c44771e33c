// Loads an editor island on demand, so its bundle is fetched only by pages that edit.
// The bundles are built by scripts/setup.sh (editors/build.mjs) into /generated/editors/.
export async function loadDocsEditor() {
  return await import("/generated/editors/docs-editor.js");
}

export async function loadCodeEditor() {
  return await import("/generated/editors/code-editor.js");
}
