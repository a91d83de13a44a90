import { api } from 'lwc';
import LightningModal from 'lightning/modal';

/** What a configuration profile turns on and off, opened from the profile name in the user table. */
export default class ProfileSummary extends LightningModal {
    @api summary;

    handleClose() {
        this.close();
    }
}
