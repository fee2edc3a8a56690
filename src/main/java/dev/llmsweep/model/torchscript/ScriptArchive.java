package dev.llmsweep.model.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what {@code torch.jit.save} writes) for a module that has no
 * parameters or buffers of its own, from the module's TorchScript source: libtorch compiles the
 * source when it loads the archive, so no Python is needed to make one. The archive holds, under
 * one root folder: {@code data.pkl} (the module object pickled: its class, {@code
 * __torch__.<Name>}, and its one attribute, {@code training}), {@code code/__torch__.py} (the
 * class's source), {@code constants.pkl} (an empty tuple: no tensor constants) and {@code version}.
 */
public final class ScriptArchive {
  /** File format version: 8 is read by libtorch 2.x (DJL's 2.7.1 and the GPU machine's 2.11). */
  static final int VERSION = 8;

  private ScriptArchive() {}

  /** The archive of class {@code className} whose source is {@code source}. */
  public static byte[] of(String className, String source) {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      stored(z, root + "data.pkl", modulePickle(className));
      stored(z, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      stored(
          z,
          root + "constants.pkl",
          new byte[] {(byte) 0x80, 2, ')', '.'}); // PROTO 2, EMPTY_TUPLE, STOP
      stored(z, root + "version", (VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip.toByteArray();
  }

  /**
   * The module object as torch's pickler writes it (protocol 2): GLOBAL {@code __torch__ Name},
   * EMPTY_TUPLE, NEWOBJ, then its state as a dict {@code {"training": False}}, BUILD, STOP.
   */
  static byte[] modulePickle(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80);
    p.write(2);
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
    p.write(')');
    p.write(0x81); // NEWOBJ
    p.write('}'); // EMPTY_DICT
    p.write('('); // MARK
    byte[] key = "training".getBytes(StandardCharsets.UTF_8);
    p.write('X'); // BINUNICODE, 4-byte little-endian length
    p.write(key.length);
    p.write(0);
    p.write(0);
    p.write(0);
    p.writeBytes(key);
    p.write(0x89); // NEWFALSE
    p.write('u'); // SETITEMS
    p.write('b'); // BUILD
    p.write('.'); // STOP
    return p.toByteArray();
  }

  private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    z.putNextEntry(e);
    z.write(data);
    z.closeEntry();
  }
}
