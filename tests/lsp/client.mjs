// A minimal editor for the schema tests: starts the YAML language server
// (the engine of VS Code's YAML extension) over stdio, gives it the
// repository's .vscode/settings.json the way VS Code does, opens files and
// prints the diagnostics the server publishes for each, as JSON:
//   node client.mjs REPO FILE...   ->   {"FILE": [diagnostic, ...], ...}
// The server does not read settings.json itself: VS Code answers its
// `workspace/configuration` request with the settings, schema paths made
// absolute against the workspace folder. This client does the same.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [root, ...files] = process.argv.slice(2).map((p) => resolve(p));
const here = dirname(fileURLToPath(import.meta.url));
const server = join(here, "node_modules", "yaml-language-server", "bin", "yaml-language-server");

const settings = JSON.parse(readFileSync(join(root, ".vscode", "settings.json"), "utf8"));
const schemas = {};
for (const [path, globs] of Object.entries(settings["yaml.schemas"] ?? {})) {
  schemas[pathToFileURL(resolve(root, path)).href] = globs;
}
const yaml = { schemas, validate: true, hover: true, completion: true, schemaStore: { enable: false } };

const child = spawn(process.execPath, [server, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
const published = new Map();
let onPublish = () => {};
let configured;
const configuredOnce = new Promise((ok) => (configured = ok));

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
}
function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((ok) => pending.set(id, ok));
}
const notify = (method, params) => send({ method, params });

function handle(msg) {
  if (msg.id !== undefined && msg.method === undefined) {
    pending.get(msg.id)?.(msg.result);
    pending.delete(msg.id);
  } else if (msg.id !== undefined) {
    // A request from the server: configuration gets the settings, section
    // by section; anything else (capability registration) is acknowledged.
    const result =
      msg.method === "workspace/configuration"
        ? msg.params.items.map((item) => (item.section === "yaml" ? yaml : null))
        : null;
    send({ id: msg.id, result });
    if (msg.method === "workspace/configuration") configured();
  } else if (msg.method === "textDocument/publishDiagnostics") {
    published.set(msg.params.uri, msg.params.diagnostics);
    onPublish();
  }
}

child.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    handle(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString("utf8")));
    buffer = buffer.subarray(end + 4 + length);
  }
});

// Only a bound against a hang: the server answers in well under a second.
const timer = setTimeout(() => {
  console.error("no diagnostics from yaml-language-server within 60 s");
  child.kill();
  process.exit(1);
}, 60000);

const rootUri = pathToFileURL(root).href;
await request("initialize", {
  processId: process.pid,
  rootUri,
  workspaceFolders: [{ uri: rootUri, name: "repo" }],
  capabilities: {
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
    textDocument: { publishDiagnostics: {} },
  },
});
notify("initialized", {});
notify("workspace/didChangeConfiguration", { settings: { yaml } });

const uris = files.map((f) => pathToFileURL(f).href);
// The settings reach the server asynchronously; it revalidates every open
// document when they do. Each document is opened, then re-sent after the
// configuration round trip, so its last diagnostics are those with the schema.
for (const [i, uri] of uris.entries()) {
  notify("textDocument/didOpen", {
    textDocument: { uri, languageId: "yaml", version: 1, text: readFileSync(files[i], "utf8") },
  });
}
// Messages are handled in order: once the settings are answered and a
// request sent after them is answered too, the server has applied them, and
// a change sent then is validated with the schemas.
await configuredOnce;
await request("textDocument/hover", { textDocument: { uri: uris[0] }, position: { line: 0, character: 0 } });
published.clear();
for (const [i, uri] of uris.entries()) {
  notify("textDocument/didChange", {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: readFileSync(files[i], "utf8") }],
  });
}
await new Promise((ok) => {
  onPublish = () => uris.every((u) => published.has(u)) && ok();
  onPublish();
});
clearTimeout(timer);
const out = {};
for (const [i, uri] of uris.entries()) out[files[i]] = published.get(uri);
console.log(JSON.stringify(out));
await request("shutdown", null);
notify("exit", null);
child.stdin.end();
