// A real JVM target for bench/memory-slope.js (`jvm` target): no stream, only
// the allocation a busy server makes, and a leak when asked for.
//
//   javac -d <dir> bench/JvmTarget.java && java -Xms64m -Xmx256m -XX:+UseG1GC -cp <dir> JvmTarget <leak-bytes-per-minute>
//
// Every 10 ms: 50 KiB of garbage that dies at once (requests), and 4 KiB of
// "session" objects kept for ~30 s (a ring of 3,000), so they are promoted
// and die in the old generation, which fills until a mixed collection; the
// leak is kept in 4 KiB arrays for good. It serves Micrometer's names for the
// heap (`jvm_memory_used_bytes{area,id}` per pool, from the memory pool
// MXBeans) on a free loopback port, and prints that URL first.
import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public class JvmTarget {
  static volatile Object sink;

  public static void main(String[] args) throws Exception {
    double perMinute = Double.parseDouble(args.length > 0 ? args[0] : "0");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", ex -> {
      StringBuilder b = new StringBuilder("# TYPE jvm_memory_used_bytes gauge\n");
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        String area = p.getType() == MemoryType.HEAP ? "heap" : "nonheap";
        b.append("jvm_memory_used_bytes{area=\"").append(area).append("\",id=\"").append(p.getName()).append("\"} ").append(p.getUsage().getUsed()).append('\n');
      }
      byte[] out = b.toString().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
    System.out.println("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    System.out.flush();
    byte[][] sessions = new byte[3000][];
    List<byte[]> kept = new ArrayList<>();
    double owed = 0;
    for (long tick = 0; ; tick++) {
      Thread.sleep(10);
      for (int i = 0; i < 50; i++) sink = new byte[1024];
      sessions[(int) (tick % sessions.length)] = new byte[4096];
      owed += perMinute / 6000;
      while (owed >= 4096) {
        kept.add(new byte[4096]);
        owed -= 4096;
      }
    }
  }
}
