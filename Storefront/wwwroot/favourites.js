// The storefront's cookies written from the circuit: the anonymous shopper's favourites (Auth/FavouritesCookie.cs)
// and the products picked to compare (Services/CompareStore.cs).
export function read(name) {
    const prefix = name + "=";
    const found = document.cookie.split("; ").find(c => c.startsWith(prefix));
    return found ? decodeURIComponent(found.substring(prefix.length)) : "";
}

export function write(name, value, maxAgeSeconds) {
    const secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = value
        ? `${name}=${encodeURIComponent(value)}; path=/; max-age=${maxAgeSeconds}; samesite=lax${secure}`
        : `${name}=; path=/; max-age=0; samesite=lax${secure}`;
}
