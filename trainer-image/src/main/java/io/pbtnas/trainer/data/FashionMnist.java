package io.pbtnas.trainer.data;

import io.pbtnas.trainer.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Locates and loads Fashion-MNIST from a directory of the four standard IDX files (gzipped or not).
 * The validation split is held out of the training file: its last {@link #VALIDATION_SIZE} images
 * (the file is already in random order), so every member of a search is scored on the same images.
 */
public final class FashionMnist {
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int VALIDATION_SIZE = 10_000;
    public static final int CLASSES = 10;
    /** Mean and standard deviation of the training pixels scaled to [0, 1]. */
    public static final float MEAN = 0.2860f;
    public static final float STD = 0.3530f;

    private FashionMnist() {
    }

    /** The data directory: the configured one (which must exist), else Debian's location. */
    public static Path resolveDir(Optional<String> configured) {
        if (configured.isPresent()) {
            return Path.of(configured.get());
        }
        return DEBIAN_DIR;
    }

    /** Loads the splits, each cut to its subset size (0 = whole split). */
    public static DataSplits load(Path dir, int trainSubset, int validationSubset, int testSubset) {
        ImageSet train = read(dir, "train");
        ImageSet test = read(dir, "t10k");
        if (train.size() <= VALIDATION_SIZE) {
            throw new BadInputException("Fashion-MNIST training file in " + dir + " has only " + train.size()
                    + " images; need more than " + VALIDATION_SIZE + " (the validation split is held out of it)");
        }
        int trainEnd = train.size() - VALIDATION_SIZE;
        ImageSet trainPart = train.slice(0, cut(trainSubset, trainEnd, "trainSubset"));
        ImageSet validation = train.slice(trainEnd, trainEnd + cut(validationSubset, VALIDATION_SIZE, "validationSubset"));
        ImageSet testPart = test.slice(0, cut(testSubset, test.size(), "testSubset"));
        return new DataSplits(trainPart, validation, testPart);
    }

    private static int cut(int subset, int available, String field) {
        if (subset < 0 || subset > available) {
            throw new BadInputException("taskArgs." + field + ": " + subset + " is out of range; use 0 (all) to "
                    + available);
        }
        return subset == 0 ? available : subset;
    }

    private static ImageSet read(Path dir, String split) {
        Path images = find(dir, split + "-images-idx3-ubyte");
        Path labels = find(dir, split + "-labels-idx1-ubyte");
        IdxFile.Contents im = IdxFile.readImages(images);
        IdxFile.Contents lb = IdxFile.readLabels(labels);
        if (im.dims()[0] != lb.dims()[0]) {
            throw new BadInputException("Fashion-MNIST files disagree: " + images + " holds " + im.dims()[0]
                    + " images but " + labels + " holds " + lb.dims()[0] + " labels; reinstall the data set");
        }
        for (int i = 0; i < lb.data().length; i++) {
            int label = lb.data()[i] & 0xff;
            if (label >= CLASSES) {
                throw new BadInputException("malformed labels in " + labels + ": label " + label + " at index " + i
                        + " is not a class 0.." + (CLASSES - 1) + "; reinstall the data set");
            }
        }
        return new ImageSet(im.data(), lb.data(), im.dims()[1], im.dims()[2]);
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String present = Files.isDirectory(dir) ? listing(dir) : "the directory does not exist";
        throw new BadInputException("Fashion-MNIST file " + dir.resolve(base) + "(.gz) not found (" + present
                + "). Point taskArgs.dataDir at a directory with train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (gzipped or not), or install them with "
                + "'apt-get install dataset-fashion-mnist' (into " + DEBIAN_DIR + ")");
    }

    private static String listing(Path dir) {
        try (var s = Files.list(dir)) {
            String[] names = s.map(p -> p.getFileName().toString()).sorted().limit(8).toArray(String[]::new);
            return names.length == 0 ? "the directory is empty" : "it holds " + Arrays.toString(names);
        } catch (java.io.IOException e) {
            return "cannot list it: " + e.getMessage();
        }
    }
}
