import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidDefinitionError, parseAgentMarkdown, renderAgentMarkdown, type AgentDefinition } from './agent-definition.js';

describe('parseAgentMarkdown', () => {
  it('reads a .claude/agents style file: front matter, comma-separated tools, the prompt', () => {
    const text = '---\nname: code-reviewer\ndescription: Reviews code: style and bugs\ntools: Read, Grep, Glob\n---\n\nYou review code.\n';
    expect(parseAgentMarkdown(text, 'code-reviewer.md')).toEqual({
      name: 'code-reviewer',
      description: 'Reviews code: style and bugs',
      tools: ['Read', 'Grep', 'Glob'],
      prompt: 'You review code.',
    });
  });

  it('takes tools as a YAML list and a backend key', () => {
    expect(parseAgentMarkdown('---\nname: a\ndescription: x\ntools: [Read, Bash]\nbackend: echo\n---\n', 'a.md')).toMatchObject({
      tools: ['Read', 'Bash'],
      backend: 'echo',
    });
  });

  it('names the file and the problem when the front matter is missing, not YAML or lacks a valid name', () => {
    expect(() => parseAgentMarkdown('# just markdown', 'x.md')).toThrow(
      new InvalidDefinitionError('x.md: no front matter (the file must start with a --- block holding name and description)'),
    );
    expect(() => parseAgentMarkdown('---\nname: [\n  - x\n---\n', 'y.md')).toThrow(/^y\.md: the front matter is not YAML/);
    expect(() => parseAgentMarkdown('---\nname: Bad Name\n---\n', 'z.md')).toThrow(
      'z.md: name must be 1 to 64 lower-case letters, digits, "-" or "_"',
    );
  });
});

describe('renderAgentMarkdown', () => {
  it('writes what parseAgentMarkdown reads back unchanged', () => {
    const arb: fc.Arbitrary<AgentDefinition> = fc
      .record({
        name: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/),
        description: fc.string({ maxLength: 60 }).map((s) => s.trim()),
        tools: fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,10}$/), { maxLength: 4 }),
        backend: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { nil: undefined }),
        prompt: fc.string({ maxLength: 80 }).map((s) => s.trim()),
      })
      .map((d) => (d.backend === undefined ? { name: d.name, description: d.description, tools: d.tools, prompt: d.prompt } : d));
    fc.assert(
      fc.property(arb, (def) => {
        expect(parseAgentMarkdown(renderAgentMarkdown(def), 'f.md')).toEqual(def);
      }),
    );
  });
});
