/** A yosys or nextpnr JSON netlist (`write_json`, `--write`), as far as kilohash reads it. */
export interface JsonCell {
  type: string;
  parameters: Record<string, string>;
  attributes: Record<string, string>;
  connections: Record<string, (number | string)[]>;
  [other: string]: unknown;
}

export interface JsonNet {
  bits: (number | string)[];
  [other: string]: unknown;
}

export interface JsonModule {
  cells: Record<string, JsonCell>;
  netnames: Record<string, JsonNet>;
  [other: string]: unknown;
}

export interface JsonNetlist {
  modules: Record<string, JsonModule>;
  [other: string]: unknown;
}
