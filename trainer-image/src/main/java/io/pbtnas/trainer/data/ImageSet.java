package io.pbtnas.trainer.data;

/** Grey images (one byte per pixel, row-major) with their class labels. */
public record ImageSet(byte[] pixels, byte[] labels, int rows, int cols) {

    public ImageSet {
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length + " pixel bytes for "
                    + rows + "x" + cols + " images");
        }
    }

    public int size() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Images [from, to) as a new set. */
    public ImageSet slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + size() + " images");
        }
        byte[] p = new byte[(to - from) * pixelsPerImage()];
        System.arraycopy(pixels, from * pixelsPerImage(), p, 0, p.length);
        byte[] l = new byte[to - from];
        System.arraycopy(labels, from, l, 0, l.length);
        return new ImageSet(p, l, rows, cols);
    }

    public int label(int i) {
        return labels[i];
    }
}
