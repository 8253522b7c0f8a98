/**
 * A tiled, semi-transparent watermark (employee ID, name, time) over its children. It is drawn on a
 * canvas into a data: URL on a layer this component owns outside React's tree, and painted again
 * whenever someone removes the layer from the DOM or edits its style or class.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';

function tile(text: string[]): string {
  const canvas = document.createElement('canvas');
  const w = 340;
  const h = 190;
  canvas.width = w * 2;
  canvas.height = h * 2;
  const g = canvas.getContext('2d');
  if (!g) return '';
  g.scale(2, 2);
  g.translate(w / 2, h / 2);
  g.rotate(-Math.PI / 9);
  g.fillStyle = 'rgba(29, 78, 137, 0.16)';
  g.font = '15px "Noto Sans CJK SC", sans-serif';
  g.textAlign = 'center';
  text.forEach((line, i) => g.fillText(line, 0, (i - (text.length - 1) / 2) * 22));
  return canvas.toDataURL('image/png');
}

export function Watermark({ lines, children }: { lines: string[]; children: ReactNode }) {
  const url = useMemo(() => tile(lines), [lines]);
  const text = lines.join(' ');
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const root = host.current;
    if (!root) return;
    let layer: HTMLDivElement | null = null;
    const paint = () => {
      layer?.remove();
      layer = document.createElement('div');
      layer.className = 'fg-watermark';
      layer.dataset.testid = 'watermark';
      layer.dataset.text = text;
      layer.setAttribute('aria-hidden', 'true');
      layer.style.backgroundImage = `url("${url}")`;
      root.appendChild(layer);
      layerObserver.disconnect();
      layerObserver.observe(layer, { attributes: true });
    };
    const layerObserver = new MutationObserver(() => paint());
    const rootObserver = new MutationObserver(() => {
      if (!layer || !layer.isConnected || layer.parentNode !== root) paint();
    });
    paint();
    rootObserver.observe(root, { childList: true });
    return () => {
      rootObserver.disconnect();
      layerObserver.disconnect();
      layer?.remove();
    };
  }, [url, text]);

  return (
    <div className="fg-statement" ref={host} onCopy={(e) => e.preventDefault()} onContextMenu={(e) => e.preventDefault()}>
      {children}
    </div>
  );
}
