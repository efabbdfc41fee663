// Scanning a QR code with the camera where the browser can (BarcodeDetector); elsewhere the
// button stays hidden and the code is typed or pasted.
import { el, fill } from './common.js';

/** Shows the scan button; a scanned code goes into input and submits form. */
export function wireScan(buttonId, videoId, input, form, msgId) {
  if (!('BarcodeDetector' in window && navigator.mediaDevices)) return;
  const btn = document.getElementById(buttonId);
  btn.hidden = false;
  btn.addEventListener('click', async () => {
    const video = document.getElementById(videoId);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch (e) {
      fill(msgId, el('div', { class: 'error', role: 'alert' }, '无法打开摄像头，请直接输入或粘贴'));
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const det = new window.BarcodeDetector({ formats: ['qr_code'] });
    const tick = async () => {
      const codes = await det.detect(video).catch(() => []);
      if (codes.length) {
        stream.getTracks().forEach((t) => t.stop());
        video.hidden = true;
        input.value = codes[0].rawValue;
        form.requestSubmit();
      } else requestAnimationFrame(tick);
    };
    tick();
  });
}
