/**
 * Stands in for `@salesforce/apex/Class.method` outside Salesforce: each method posts its parameters to the
 * preview server, which forwards them to the service exactly as the Apex proxy would. Usable imperatively and
 * with @wire; failures reject with the shape Apex errors have ({ status, body: { message } }).
 */
const wiredValues = new WeakMap();

async function invoke(name, params) {
  const response = await fetch(`/__apex/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params ?? {}),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw { status: response.status, statusText: response.statusText, body: body ?? { message: response.statusText } };
  }
  return body;
}

export function apexMethod(name) {
  const method = (params) => invoke(name, params);
  method.adapter = class ApexWireAdapter {
    constructor(emit) {
      this.emit = emit;
      this.config = undefined;
      this.connected = false;
    }
    connect() {
      this.connected = true;
      if (this.config !== undefined) this.load();
    }
    update(config) {
      this.config = config;
      if (this.connected) this.load();
    }
    disconnect() {
      this.connected = false;
    }
    load() {
      return invoke(name, this.config).then(
        (data) => this.deliver({ data, error: undefined }),
        (error) => this.deliver({ data: undefined, error }),
      );
    }
    deliver(value) {
      wiredValues.set(value, this);
      this.emit(value);
    }
  };
  return method;
}

/** `refreshApex` from '@salesforce/apex': re-runs the wire that produced `value`. */
export function refreshApex(value) {
  const adapter = value && wiredValues.get(value);
  return adapter ? adapter.load() : Promise.resolve();
}
