import DialogFooter from 'c/dialogFooter';
import { mount, cleanup, settle, byId, click } from 'roster-test';

describe('c-dialog-footer', () => {
    afterEach(cleanup);

    const footer = (props) =>
        mount('c-dialog-footer', DialogFooter, {
            cancelId: 'cancel-thing',
            saveId: 'save-thing',
            ...props
        });

    it('sends save and cancel, and neither while the dialog is busy', async () => {
        const element = footer({ saveLabel: 'Save Thing' });
        const sent = [];
        element.addEventListener('save', () => sent.push('save'));
        element.addEventListener('cancel', () => sent.push('cancel'));
        await settle();
        expect(byId(element, 'save-thing').label).toBe('Save Thing');
        await click(element, 'save-thing');
        await click(element, 'cancel-thing');
        element.busy = true;
        await settle();
        expect(byId(element, 'save-thing').disabled).toBe(true);
        expect(byId(element, 'cancel-thing').disabled).toBe(true);
        await click(element, 'save-thing');
        await click(element, 'cancel-thing');
        expect(sent).toEqual(['save', 'cancel']);
    });

    it("holds Save for the dialog's own reasons while Cancel stays open", async () => {
        const element = footer({ saveDisabled: true });
        const sent = [];
        element.addEventListener('save', () => sent.push('save'));
        element.addEventListener('cancel', () => sent.push('cancel'));
        await settle();
        expect(byId(element, 'save-thing').disabled).toBe(true);
        expect(byId(element, 'cancel-thing').disabled).toBe(false);
        await click(element, 'save-thing');
        await click(element, 'cancel-thing');
        expect(sent).toEqual(['cancel']);
    });
});
