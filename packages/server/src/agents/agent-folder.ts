import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AgentDefinition, InvalidDefinitionError, parseAgentMarkdown, renderAgentMarkdown } from './agent-definition.js';

/** What reading the folder found: the definitions, and the files it had to skip with why. */
export interface FolderScan {
  definitions: AgentDefinition[];
  problems: string[];
}

/**
 * The agent definitions folder (`agents.dir`): one `<name>.md` per agent.
 * Read on every listing, so files edited by hand show up without a restart;
 * writes go through a temporary file and a rename, so a reader never sees
 * half a file.
 */
export class AgentFolder {
  constructor(readonly dir: string) {}

  async scan(): Promise<FolderScan> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.md')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { definitions: [], problems: [] };
      throw err;
    }
    const out: FolderScan = { definitions: [], problems: [] };
    const seen = new Set<string>();
    for (const file of names) {
      try {
        const def = parseAgentMarkdown(await readFile(join(this.dir, file), 'utf8'), file);
        if (seen.has(def.name)) {
          out.problems.push(`${file}: another file already defines "${def.name}"; this one is ignored`);
          continue;
        }
        seen.add(def.name);
        out.definitions.push(def);
      } catch (err) {
        if (err instanceof InvalidDefinitionError) out.problems.push(err.message);
        else if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return out;
  }

  /** Writes `<name>.md`, replacing the file that defined the agent before (by whatever file name). */
  async write(def: AgentDefinition): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${def.name}.md`);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, renderAgentMarkdown(def), 'utf8');
    await rename(tmp, target);
    await this.removeOthers(def.name, `${def.name}.md`);
  }

  /** Removes the files that define `name`; false when none did. */
  async remove(name: string): Promise<boolean> {
    return (await this.removeOthers(name, undefined)) > 0;
  }

  private async removeOthers(name: string, keep: string | undefined): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.md') && n !== keep);
    } catch {
      return 0;
    }
    for (const file of names) {
      try {
        if (parseAgentMarkdown(await readFile(join(this.dir, file), 'utf8'), file).name !== name) continue;
      } catch {
        continue;
      }
      await rm(join(this.dir, file), { force: true });
      removed++;
    }
    return removed;
  }
}
