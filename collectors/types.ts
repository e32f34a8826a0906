/** A collector is a lifecycle plugin: the platform starts it after its dependencies and stops it first. */
export interface Collector {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
