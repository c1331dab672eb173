package io.smcd.sim.registry;

import io.smcd.sim.SmcdDomain;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * The other process of {@link RegistryCrossProcessTest}. Arguments: domain directory, mode, client port,
 * server port (both on 127.0.0.1). Modes:
 * <ul>
 *   <li>{@code crash}: registers a listener, publishes an intent, leaves a half-written temporary file,
 *       prints {@code READY} and waits to be killed;</li>
 *   <li>{@code client}: publishes an intent, prints {@code READY}, and on the line {@code WITHDRAW}
 *       prints {@code WITHDRAWN <outcome>} and exits;</li>
 *   <li>{@code race}: prints {@code READY}, then for each line {@code PUBLISH} publishes an intent and
 *       prints {@code PUBLISHED}, and on the next line withdraws it at once and prints
 *       {@code WITHDRAWN <outcome>}; exits at the end of its input.</li>
 * </ul>
 */
public final class RegistryChild {
    private RegistryChild() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetSocketAddress client = new InetSocketAddress(loopback, Integer.parseInt(args[2]));
        InetSocketAddress server = new InetSocketAddress(loopback, Integer.parseInt(args[3]));
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (SmcdDomain domain = SmcdDomain.open(Paths.get(args[0]))) {
            EndpointRegistry registry = new EndpointRegistry(domain);
            switch (args[1]) {
                case "crash" -> {
                    registry.registerListener(server);
                    registry.publishIntent(client, server);
                    Files.write(domain.newTempFile("listener"), new byte[] {1, 2, 3});
                    System.out.println("READY");
                    stdin.readLine();
                }
                case "client" -> {
                    try (ClientIntent intent = registry.publishIntent(client, server)) {
                        System.out.println("READY");
                        if ("WITHDRAW".equals(stdin.readLine())) {
                            System.out.println("WITHDRAWN " + intent.withdraw());
                        }
                    }
                }
                case "race" -> {
                    System.out.println("READY");
                    while ("PUBLISH".equals(stdin.readLine())) {
                        ClientIntent intent = registry.publishIntent(client, server);
                        System.out.println("PUBLISHED");
                        stdin.readLine();
                        System.out.println("WITHDRAWN " + intent.withdraw());
                    }
                }
                default -> throw new IllegalArgumentException("mode=" + args[1]);
            }
        }
    }
}
