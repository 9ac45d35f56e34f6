package dev.distillation.trainer.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading whole data files, gzip or not, with errors that name the file. */
final class DataFiles {

    private DataFiles() {}

    /** The bytes of {@code file}, gunzipped when it starts with the gzip magic number. */
    static byte[] readAll(Path file) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException("dataset file " + file + " does not exist");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                    return in.readAllBytes();
                }
            }
            return raw.readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new DatasetException("dataset file " + file + " is not a complete gzip file ("
                    + e.getMessage() + "); expected the gzip-compressed dataset file", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read dataset file " + file + ": " + e.getMessage(), e);
        }
    }

    static int int32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
