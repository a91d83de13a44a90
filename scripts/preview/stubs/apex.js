export { refreshApex } from 'preview/apexBridge';
