import { expect, test } from './fixtures';

test('the house format is edited on the Settings screen and reaches another window', async ({
  airdeck,
}) => {
  const editorContext = await airdeck.newContext();
  const viewerContext = await airdeck.newContext();
  try {
    const editor = await editorContext.newPage();
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${airdeck.url}#/settings`);
    await editor.goto(`${airdeck.url}#/settings`);
    await expect(viewer.getByTestId('house-loudnessLufs')).toHaveValue('-23');
    await expect(editor.getByTestId('house-width')).toHaveValue('1280');

    await editor.getByTestId('house-loudnessLufs').fill('-24');
    await editor.getByTestId('ingest-concurrency').fill('2');
    await editor.getByTestId('house-save').click();
    await expect(editor.getByTestId('house-saved')).toBeVisible();
    // Only what was edited changed; the other window follows without a reload.
    await expect(viewer.getByTestId('house-loudnessLufs')).toHaveValue('-24');
    await expect(viewer.getByTestId('ingest-concurrency')).toHaveValue('2');
    await expect(viewer.getByTestId('house-width')).toHaveValue('1280');

    // The core's rule (even frame sizes for 4:2:0) comes back as its message; nothing is saved.
    await editor.getByTestId('house-width').fill('1281');
    await editor.getByTestId('house-save').click();
    await expect(editor.getByTestId('house-error')).toContainText('width');
    await expect(viewer.getByTestId('house-width')).toHaveValue('1280');
  } finally {
    await editorContext.close();
    await viewerContext.close();
  }
});
