// openai-consume.mjs — the other side of bench-stream-throughput: the
// official `openai` npm package consumes one streamed chat completion.
//
//   node openai-consume.mjs BASE_URL NODE_MODULES_PARENT
//
// NODE_MODULES_PARENT is the throwaway directory the benchmark installed
// the package into (never the repository). Prints one JSON line: the
// chunks seen and the length of the text they carried.
import { createRequire } from 'node:module';
import path from 'node:path';

const [baseURL, modulesParent] = process.argv.slice(2);
const require = createRequire(path.join(modulesParent, 'bench.js'));
const openai = require('openai');
const OpenAI = openai.OpenAI ?? openai.default ?? openai;

const client = new OpenAI({ baseURL, apiKey: 'sk-test-fake' });
const stream = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Write a very long story.' }],
  stream: true,
});

let text = '';
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  const delta = chunk.choices[0]?.delta?.content;
  if (delta)
    text += delta;
}
process.stdout.write(JSON.stringify({ chunks, text_length: text.length }) + '\n');
