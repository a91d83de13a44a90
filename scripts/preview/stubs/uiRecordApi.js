/** lightning/uiRecordApi outside Salesforce: Roster's screens read no records, so every adapter emits nothing. */
class NoRecords {
  constructor(emit) {
    this.emit = emit;
  }
  connect() {}
  update() {
    this.emit({ data: undefined, error: undefined });
  }
  disconnect() {}
}
export const getRecord = NoRecords;
export const getFieldValue = (record, field) => record?.fields?.[field.fieldApiName]?.value;
