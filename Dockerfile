# TechMarket server image (Debian bookworm based .NET images, so Debian's python3-jieba is available).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/TechMarket.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-jieba libopencc-data \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
COPY seeds /app/seeds
ENV ASPNETCORE_URLS=http://+:8080 \
    Storage__DataDirectory=/data \
    Demo__Texts=/app/seeds/csl-achievements.jsonl
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "TechMarket.Server.dll"]
