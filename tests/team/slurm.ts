/**
 * A real single-node Slurm cluster on this machine, started by a test and
 * stopped after it: its own munged (key and socket in a temp folder), then
 * slurmctld and slurmd on free loopback ports with a short slurm.conf, so
 * tests share nothing with a cluster the machine may already run. The node
 * offers 2 CPUs, 4 GiB and 2 GPUs (files standing in for devices: with
 * TaskPlugin=task/none nothing is bound, the scheduler only counts them).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SLURM } from "../requirements.js";
import { freePort } from "./free-port.js";

/** Where a daemon lives: on PATH, else Debian's sbin. */
function daemon(name: string): string {
  const found = spawnSync("/bin/sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  return found || join("/usr/sbin", name);
}

export class SlurmCluster {
  readonly dir: string;
  /** The one node's name (unique per cluster, so `scontrol show job` names it). */
  readonly node: string;
  readonly partition = "debug";
  readonly #children: ChildProcess[] = [];

  private constructor(dir: string, node: string) {
    this.dir = dir;
    this.node = node;
  }

  /** The environment client commands (sbatch, squeue, sluice) need to reach this cluster. */
  env(): Record<string, string> {
    return { SLURM_CONF: join(this.dir, "slurm.conf") };
  }

  /** Starts munged, slurmctld and slurmd, and waits for the node to be idle. */
  static async start(): Promise<SlurmCluster> {
    if (SLURM.path === undefined) throw new Error("Slurm is not installed");
    // munged refuses a key or socket folder others can write: a private folder, not /tmp itself.
    const dir = mkdtempSync(join(tmpdir(), "sluice-slurm-"));
    chmodSync(dir, 0o755);
    const cluster = new SlurmCluster(dir, `sluice${randomBytes(3).toString("hex")}`);
    for (const sub of ["munge", "state", "spool", "log"]) mkdirSync(join(dir, sub), { recursive: true });
    chmodSync(join(dir, "munge"), 0o711);
    writeFileSync(join(dir, "munge", "munge.key"), randomBytes(1024), { mode: 0o600 });
    const socket = join(dir, "munge", "munge.sock");
    cluster.#spawn(daemon("munged"), [
      "--foreground",
      "--force",
      `--socket=${socket}`,
      `--key-file=${join(dir, "munge", "munge.key")}`,
      `--log-file=${join(dir, "log", "munged.log")}`,
      `--pid-file=${join(dir, "munge", "munged.pid")}`,
      `--seed-file=${join(dir, "munge", "munged.seed")}`,
    ]);
    await cluster.#until("munged to listen", () => existsSync(socket));
    const [controllerPort, nodePort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, "slurm.conf"), slurmConf(cluster, socket, controllerPort, nodePort));
    // Two "GPUs": a gres needs a file per device, any file will do when nothing binds them.
    writeFileSync(join(dir, "gres.conf"), `NodeName=${cluster.node} Name=gpu File=/dev/null\nNodeName=${cluster.node} Name=gpu File=/dev/zero\n`);
    const conf = join(dir, "slurm.conf");
    cluster.#spawn(daemon("slurmctld"), ["-D", "-i", "-f", conf]);
    cluster.#spawn(daemon("slurmd"), ["-D", "-N", cluster.node, "-f", conf]);
    await cluster.#until("the node to be idle", () => cluster.command("sinfo", ["-h", "-n", cluster.node, "-o", "%T"]).stdout.trim() === "idle");
    return cluster;
  }

  /** Runs a client command against this cluster, synchronously. */
  command(name: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const out = spawnSync(name, args, { encoding: "utf8", env: { ...process.env, ...this.env() }, timeout: 10_000 });
    return { status: out.status, stdout: out.stdout ?? "", stderr: out.stderr ?? "" };
  }

  /** Ids of the jobs squeue still lists (pending, running, completing). */
  queued(): string[] {
    return this.command("squeue", ["-h", "-o", "%i"]).stdout.split("\n").filter(Boolean);
  }

  /** Every job the controller remembers, finished ones included. */
  jobs(): { id: string; name: string; state: string }[] {
    return this.command("squeue", ["-h", "--states=all", "-o", "%i|%j|%T"])
      .stdout.split("\n")
      .filter(Boolean)
      .map((line) => {
        const [id = "", name = "", state = ""] = line.split("|");
        return { id, name, state };
      });
  }

  /** `scontrol show job -o <id>` as fields (`TRES`, `JobState`, `NodeList`, ...). */
  job(id: string): Record<string, string> {
    const line = this.command("scontrol", ["show", "job", "-o", id]).stdout.trim();
    return Object.fromEntries(line.split(/\s+/).map((field) => [field.slice(0, field.indexOf("=")), field.slice(field.indexOf("=") + 1)]));
  }

  /** Cancels every job still queued and waits (bounded) for them to end: no job's processes outlive the cluster. */
  async cancelAll(): Promise<void> {
    const ids = this.queued();
    if (ids.length === 0) return;
    this.command("scancel", ids);
    const deadline = Date.now() + 15_000;
    while (this.queued().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }

  /** Cancels what is left, stops the daemons and removes the cluster's files. */
  async dispose(): Promise<void> {
    if (this.#children.every((c) => c.exitCode === null)) await this.cancelAll();
    for (const child of this.#children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  log(): string {
    return ["munged.log", "slurmctld.log", "slurmd.log"]
      .map((name) => {
        try {
          return `--- ${name}\n${readFileSync(join(this.dir, "log", name), "utf8").split("\n").slice(-15).join("\n")}`;
        } catch {
          return "";
        }
      })
      .join("\n");
  }

  #spawn(binary: string, args: readonly string[]): void {
    const child = spawn(binary, args, { stdio: "ignore", env: { ...process.env, ...this.env() } });
    this.#children.push(child);
    // A test that times out never reaches its `afterAll`: don't leave daemons behind the worker.
    const orphanGuard = () => child.kill("SIGKILL");
    process.once("exit", orphanGuard);
    child.once("exit", () => process.off("exit", orphanGuard));
  }

  async #until(what: string, ready: () => boolean): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!ready()) {
      const dead = this.#children.find((c) => c.exitCode !== null);
      if (dead) throw new Error(`${dead.spawnfile} exited (${dead.exitCode}) while waiting for ${what}:\n${this.log()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function slurmConf(cluster: SlurmCluster, socket: string, controllerPort: number, nodePort: number): string {
  const { dir, node, partition } = cluster;
  return `ClusterName=sluicetest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=${controllerPort}
SlurmdPort=${nodePort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=${socket}
StateSaveLocation=${join(dir, "state")}
SlurmdSpoolDir=${join(dir, "spool")}
SlurmctldPidFile=${join(dir, "slurmctld.pid")}
SlurmdPidFile=${join(dir, "slurmd.pid")}
SlurmctldLogFile=${join(dir, "log", "slurmctld.log")}
SlurmdLogFile=${join(dir, "log", "slurmd.log")}
SelectType=select/cons_tres
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=2
GresTypes=gpu
NodeName=${node} NodeHostname=localhost NodeAddr=127.0.0.1 Port=${nodePort} CPUs=2 RealMemory=4096 Gres=gpu:2 State=UNKNOWN
PartitionName=${partition} Nodes=${node} Default=YES MaxTime=INFINITE State=UP
`;
}
