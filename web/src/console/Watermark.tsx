/**
 * A tiled, semi-transparent watermark (employee ID, name, time) over its children. It is drawn on a
 * canvas into a data: URL, and repainted when someone removes it from the DOM or edits its style.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

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
  const host = useRef<HTMLDivElement>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const root = host.current;
    if (!root) return;
    const layer = root.querySelector<HTMLDivElement>(':scope > .fg-watermark');
    if (layer) layer.style.backgroundImage = `url("${url}")`;
    const observer = new MutationObserver(() => {
      const current = root.querySelector<HTMLDivElement>(':scope > .fg-watermark');
      if (!current || !current.style.backgroundImage.includes('data:image') || current.style.display === 'none' || current.style.opacity === '0') {
        setGeneration((g) => g + 1); // remount the layer
      }
    });
    observer.observe(root, { childList: true, subtree: false, attributes: true, attributeFilter: ['style', 'class'] });
    if (layer) observer.observe(layer, { attributes: true });
    return () => observer.disconnect();
  }, [url, generation]);

  return (
    <div className="fg-statement" ref={host} onCopy={(e) => e.preventDefault()} onContextMenu={(e) => e.preventDefault()}>
      {children}
      <div key={generation} className="fg-watermark" data-testid="watermark" aria-hidden="true" data-text={lines.join(' ')} />
    </div>
  );
}
